/* sk_test_util.h — small helpers shared by the golden model's cmocka tests:
 * temporary directories and paths. Header-only so each test stays one file. */
#ifndef SHIFTKIT_SK_TEST_UTIL_H
#define SHIFTKIT_SK_TEST_UTIL_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fresh directory under /tmp; the returned string is static and valid until the
 * next call. Aborts the test program if it cannot be created. */
static inline const char *sk_test_tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/sk_test_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    return dir;
}

/* dir/name in a static buffer (valid until the next call). */
static inline const char *sk_test_path(const char *dir, const char *name)
{
    static char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        abort();
    return path;
}

#endif
