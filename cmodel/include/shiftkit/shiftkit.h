/* shiftkit.h — the whole golden-model library, libshiftkit. */
#ifndef SHIFTKIT_SHIFTKIT_H
#define SHIFTKIT_SHIFTKIT_H
#include "shiftkit/sk_status.h"
#include "shiftkit/sk_requant.h"
#include "shiftkit/sk_model.h"
#include "shiftkit/sk_npy.h"
#include "shiftkit/sk_infer.h"
#include "shiftkit/sk_gen.h"
#endif
