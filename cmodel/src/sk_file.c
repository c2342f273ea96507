/* sk_file.c — whole-file reads, atomic writes and error formatting for the library. */
#include "sk_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sk_status sk_fail(sk_error *err, sk_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}

sk_status sk_read_file(const char *path, uint8_t **data, size_t *size, sk_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sk_fail(err, SK_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (len == cap) {
            uint8_t *bigger = cap < (SIZE_MAX / 2) ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                fclose(f);
                return sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", path);
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return sk_fail(err, SK_ERR_IO, "%s: read error", path);
    }
    *data = buf;
    *size = len;
    return SK_OK;
}

sk_status sk_write_file_atomic(const char *path, const uint8_t *data, size_t size, sk_error *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", path);
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sk_status st = sk_fail(err, SK_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            sk_status st = sk_fail(err, SK_ERR_IO, "%s: write failed: %s", path,
                                   w < 0 ? strerror(errno) : "short write");
            close(fd);
            unlink(tmp);
            free(tmp);
            return st;
        }
        done += (size_t)w;
    }
    /* mkstemp creates 0600; give the file the usual permissions. */
    mode_t mask = umask(0);
    umask(mask);
    int finish_failed = fchmod(fd, 0666 & ~mask) != 0;
    if (close(fd) != 0)
        finish_failed = 1;
    if (finish_failed) {
        sk_status st = sk_fail(err, SK_ERR_IO, "%s: cannot finish: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return st;
    }
    if (rename(tmp, path) != 0) {
        sk_status st = sk_fail(err, SK_ERR_IO, "%s: cannot rename into place: %s", path,
                               strerror(errno));
        unlink(tmp);
        free(tmp);
        return st;
    }
    free(tmp);
    return SK_OK;
}
