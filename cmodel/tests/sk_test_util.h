/* sk_test_util.h — small helpers shared by the golden model's cmocka tests:
 * temporary directories and paths, a growable byte buffer for building files by
 * hand. Header-only so each test stays one file; include it after <cmocka.h>. */
#ifndef SHIFTKIT_SK_TEST_UTIL_H
#define SHIFTKIT_SK_TEST_UTIL_H

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A growable byte buffer for building file images by hand. */
typedef struct bytes {
    uint8_t *p;
    size_t n, cap;
} bytes;

static inline void put(bytes *b, const void *src, size_t size)
{
    if (b->n + size > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + size)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    if (size)
        memcpy(b->p + b->n, src, size);
    b->n += size;
}

static inline void put_u8(bytes *b, unsigned v)
{
    uint8_t x = (uint8_t)v;
    put(b, &x, 1);
}

static inline void put_u16(bytes *b, unsigned v)
{
    put_u8(b, v & 0xFF);
    put_u8(b, (v >> 8) & 0xFF);
}

static inline void put_u32(bytes *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        put_u8(b, (v >> (8 * i)) & 0xFF);
}

static inline size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            count++;
    closedir(d);
    return count;
}

static inline void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlink(sk_test_path(dir, e->d_name));
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

static inline bytes read_whole(const char *path)
{
    bytes b = { 0 };
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    uint8_t chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        put(&b, chunk, got);
    fclose(fp);
    return b;
}

#endif
