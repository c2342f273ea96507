/* sk_drv_internal.h — helpers shared by the driver's translation units (not public). */
#ifndef SHIFTKIT_SK_DRV_INTERNAL_H
#define SHIFTKIT_SK_DRV_INTERNAL_H

#include "shiftkit/sk_driver.h"

/* Fill err->msg (if err is non-NULL) with "<strerror>: <formatted detail>" and return
 * `status`, so a failure path is one line: `return sk_drv_fail(err, SK_DRV_ERR_X, ...);` */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
sk_drv_status sk_drv_fail(sk_error *err, sk_drv_status status, const char *fmt, ...);

#endif
