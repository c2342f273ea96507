/* sk_cli.h — the shiftkit command-line front end as a library, so that backend
 * binaries (shiftkit-device, shiftkit-rtl, ...) reuse exactly the same commands,
 * argument parsing, comparison and report lines as the core CLI.
 *
 * The core `shiftkit` binary knows only the golden backend. Given `--backend X` for a
 * backend it does not have, it runs the executable `shiftkit-X` from its own
 * directory with the same arguments; that binary is a three-line main calling
 * sk_cli_main with its own backend table. So the core CLI builds without Verilator,
 * and cmodel/ never links a driver. */
#ifndef SHIFTKIT_SK_CLI_H
#define SHIFTKIT_SK_CLI_H

#include <stddef.h>

#include "shiftkit/shiftkit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sk_backend {
    const char *name; /* as given to --backend */
    /* Run a validated model on input [batch][k0]; allocate *output as [batch][n_last]
     * with the last layer's dtype (sk_layer_out_dtype). model_path is the .skm file
     * the model came from (for backends that reload it). Print progress or cycle
     * figures to stderr only. */
    sk_status (*run)(void *ctx, const sk_model *model, const char *model_path,
                     const sk_tensor *input, sk_tensor *output, sk_error *err);
    void *ctx;
} sk_backend;

/* The golden backend (sk_infer). */
extern const sk_backend sk_golden_backend;

/* Entry point shared by every shiftkit binary; returns the process exit code
 * (0 success, 1 mismatch or failure, 2 usage error). */
int sk_cli_main(int argc, char **argv, const sk_backend *const *backends, size_t count);

#ifdef __cplusplus
}
#endif
#endif
