/* fuzz_npy.c — libFuzzer harness for the .npy reader.
 *
 * Any input is either rejected with a message, or parses into an array whose values
 * fit its dtype and which survives a save/load round trip unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shiftkit/sk_npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_tensor t;
    sk_error err = { { 0 } };
    sk_status st = sk_npy_parse(data, size, "fuzz.npy", &t, &err);
    if (st != SK_OK) {
        if (err.msg[0] == 0)
            abort();
        return 0;
    }
    const size_t count = sk_tensor_count(&t);
    for (size_t i = 0; i < count; i++) {
        int32_t v = t.data[i];
        if ((t.dtype == SK_DTYPE_INT8 && (v < -128 || v > 127)) ||
            (t.dtype == SK_DTYPE_UINT8 && (v < 0 || v > 255)))
            abort();
    }
    /* Round trip through a file (small arrays only, to keep the fuzzer fast). */
    if (count <= 4096 && count > 0) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/fuzz_npy_%d.npy", (int)getpid());
        sk_tensor back;
        if (sk_npy_save(&t, path, &err) != SK_OK || sk_npy_load(path, &back, &err) != SK_OK)
            abort();
        unlink(path);
        if (back.dtype != t.dtype || back.ndim != t.ndim ||
            memcmp(back.shape, t.shape, sizeof t.shape) != 0 ||
            memcmp(back.data, t.data, count * sizeof *t.data) != 0)
            abort();
        sk_tensor_free(&back);
    }
    sk_tensor_free(&t);
    return 0;
}
