/* sk_status.h — status codes shared by every shiftkit C library.
 *
 * Every fallible call returns an sk_status; SK_OK is 0. Where a call takes an
 * sk_error *, it also fills a human-readable message naming the file, the field and
 * the reason (the pointer may be NULL when the caller only wants the code). */
#ifndef SHIFTKIT_SK_STATUS_H
#define SHIFTKIT_SK_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SK_MUST_CHECK __attribute__((warn_unused_result))
#else
#define SK_MUST_CHECK
#endif

typedef enum sk_status {
    SK_OK = 0,
    SK_ERR_BAD_ARG,        /* invalid argument to an API call */
    SK_ERR_NOMEM,          /* allocation failed */
    SK_ERR_IO,             /* open/read/write/rename failed (errno in the message) */
    SK_ERR_TRUNCATED,      /* file or record shorter than its declared size */
    SK_ERR_BAD_MAGIC,      /* not a .skm / .npy file */
    SK_ERR_BAD_VERSION,    /* unsupported format version */
    SK_ERR_BAD_CRC,        /* payload CRC-32 mismatch */
    SK_ERR_TRAILING,       /* bytes after the end of the data */
    SK_ERR_BAD_SHAPE,      /* impossible or inconsistent dimensions */
    SK_ERR_BITS_RANGE,     /* a bit width outside 2..8 */
    SK_ERR_WEIGHT_RANGE,   /* a weight outside its narrow signed range */
    SK_ERR_SHIFT_RANGE,    /* a shift outside SK_SHIFT_MIN..SK_SHIFT_MAX */
    SK_ERR_ACC_BOUND,      /* worst-case accumulator does not fit int32 (datapath §3) */
    SK_ERR_BAD_FIELD,      /* any other invalid field (flags, enums, reserved bytes) */
    SK_ERR_NPY_FORMAT,     /* malformed .npy header */
    SK_ERR_NPY_DTYPE,      /* .npy dtype not int8/uint8/int32 or wrong for the use */
    SK_ERR_INPUT_RANGE,    /* an input value outside the model's declared input type */
    SK_ERR_MISMATCH,       /* outputs differ from the expected ones */
    SK_ERR_DEVICE,         /* an accelerator backend failed: bus error, timeout, refused start,
                              wrong device, or the device reported an error code (in the message) */
    SK_STATUS_COUNT
} sk_status;

/* A short fixed description of a status code ("bad CRC", ...). Never NULL. */
const char *sk_strerror(sk_status status);

/* Detailed message buffer filled by fallible calls. */
typedef struct sk_error {
    char msg[512];
} sk_error;

#ifdef __cplusplus
}
#endif
#endif
