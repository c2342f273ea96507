/* sk_drv_status.c — the driver's status strings and its one error-formatting helper. */
#include <stdarg.h>
#include <stdio.h>

#include "sk_drv_internal.h"

const char *sk_drv_strerror(sk_drv_status status)
{
    switch (status) {
    case SK_DRV_OK: return "ok";
    case SK_DRV_ERR_BAD_ARG: return "bad argument";
    case SK_DRV_ERR_NOMEM: return "out of memory";
    case SK_DRV_ERR_BUS: return "bus error";
    case SK_DRV_ERR_HAL_FAULT: return "HAL fault while waiting for the device";
    case SK_DRV_ERR_NO_DEVICE: return "no shiftkit device";
    case SK_DRV_ERR_VERSION: return "unsupported register-map version";
    case SK_DRV_ERR_MODEL_TOO_LARGE: return "model does not fit the device";
    case SK_DRV_ERR_UNSUPPORTED: return "model not supported by this device build";
    case SK_DRV_ERR_BAD_MODEL: return "invalid model";
    case SK_DRV_ERR_NO_MODEL: return "no model loaded";
    case SK_DRV_ERR_INPUT: return "bad input";
    case SK_DRV_ERR_BUSY: return "device busy";
    case SK_DRV_ERR_TIMEOUT: return "device timeout";
    case SK_DRV_ERR_RESET_TIMEOUT: return "device still busy after soft reset";
    case SK_DRV_ERR_DEVICE: return "device reported an error";
    case SK_DRV_ERR_IO: return "cannot open or map the device";
    case SK_DRV_STATUS_COUNT: break;
    }
    return "unknown driver status";
}

sk_drv_status sk_drv_fail(sk_error *err, sk_drv_status status, const char *fmt, ...)
{
    if (err) {
        int used = snprintf(err->msg, sizeof err->msg, "%s: ", sk_drv_strerror(status));
        if (used < 0 || (size_t)used >= sizeof err->msg)
            return status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg + used, sizeof err->msg - (size_t)used, fmt, ap);
        va_end(ap);
    }
    return status;
}
