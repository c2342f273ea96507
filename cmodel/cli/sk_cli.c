/* sk_cli.c — the shiftkit commands (info, run, gen, check, requant) over the golden
 * library, shared by every shiftkit binary through sk_cli_main (sk_cli.h). The
 * commands are thin: parsing, printing and file handling only; all arithmetic is
 * the library's. */
#include "sk_cli.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SK_VERSION "0.1.0"

enum { EXIT_MISMATCH = 1, EXIT_USAGE = 2 };

static sk_status golden_run(void *ctx, const sk_model *model, const char *model_path,
                            const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    (void)ctx;
    (void)model_path;
    return sk_infer(model, input, "input", output, NULL, err);
}

const sk_backend sk_golden_backend = { "golden", golden_run, NULL };

static const char usage_text[] =
    "usage: shiftkit <command> [options]\n"
    "\n"
    "The shiftkit golden model: the exact integer arithmetic of docs/datapath.md.\n"
    "\n"
    "commands:\n"
    "  info MODEL.skm                     layers, kinds, shapes, bits, exponents, shifts, rounding,\n"
    "                                     worst-case accumulator bound, memory footprint\n"
    "  run MODEL.skm INPUT.npy -o OUT.npy [--trace DIR] [--backend B]\n"
    "                                     run a batch; --trace writes every layer's\n"
    "                                     accumulators and outputs (golden backend)\n"
    "  gen --seed S --count N -o DIR [--first I] [--max-layers L] [--max-dim D] [--max-batch B]\n"
    "      [--cnn]                        constrained-random cases DIR/case_NNNN/{model.skm,\n"
    "                                     input.npy,expected.npy}; case i of seed S is the same\n"
    "                                     everywhere, so --first I --count 1 replays one case;\n"
    "                                     --cnn: conv2d/pooling/add networks, NHWC inputs\n"
    "  check MODEL.skm INPUT.npy EXPECTED.npy [--backend B]\n"
    "                                     compare a backend's outputs with EXPECTED; prints\n"
    "                                     'N passed, M failed' and the first mismatch\n"
    "  requant --acc A --shift S --mode M --bits B [--unsigned] [--relu]\n"
    "  requant -                          one result per stdin line 'ACC SHIFT MODE BITS SIGNED RELU'\n"
    "                                     (MODE floor|half_up|half_away|half_even, SIGNED/RELU 0|1)\n"
    "\n"
    "backends: golden (built in); others run the executable shiftkit-<B> next to this one\n"
    "          (shiftkit-device from sw/, shiftkit-rtl from tb/verilator/).\n"
    "exit status: 0 success, 1 failure or mismatch, 2 usage error.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "shiftkit: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nrun 'shiftkit --help' for usage\n");
    return EXIT_USAGE;
}

static int report(sk_status st, const sk_error *err)
{
    fprintf(stderr, "shiftkit: error: %s (%s)\n", err->msg[0] ? err->msg : sk_strerror(st),
            sk_strerror(st));
    return EXIT_MISMATCH;
}

/* Strict integer parsing: the whole string, in range. */
static bool parse_long(const char *s, long lo, long hi, long *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* ---- option scanning: positional arguments plus --name value pairs ---- */

typedef struct opt_spec {
    const char *name;
    bool takes_value;
    const char *value; /* filled */
    bool seen;
} opt_spec;

static int scan_args(int argc, char **argv, opt_spec *opts, size_t nopts, const char **pos,
                     int max_pos, int *npos)
{
    *npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] != 0) {
            size_t j;
            for (j = 0; j < nopts; j++)
                if (!strcmp(a, opts[j].name))
                    break;
            if (j == nopts)
                return usage_error("unknown option '%s'", a);
            opts[j].seen = true;
            if (opts[j].takes_value) {
                if (i + 1 >= argc)
                    return usage_error("option '%s' needs a value", a);
                opts[j].value = argv[++i];
            }
        } else {
            if (*npos == max_pos)
                return usage_error("unexpected argument '%s'", a);
            pos[(*npos)++] = a;
        }
    }
    return 0;
}

/* ---- info ---- */

/* One indented line under a spatial layer's row: shapes and geometry (datapath §10). */
static void print_geometry(const sk_model *m, uint32_t i)
{
    const sk_layer *l = &m->layers[i];
    const sk_geometry *g = &l->geom;
    const sk_shape in = sk_layer_in_shape(m, i), out = sk_layer_out_shape(m, i);
    printf("      %ux%ux%u -> %ux%ux%u", in.h, in.w, in.c, out.h, out.w, out.c);
    if (l->kind == SK_LAYER_ADD) {
        if (g->src == SK_SRC_INPUT)
            printf(", b = network input at exponent %d", sk_add_src_exp(m, i));
        else
            printf(", b = layer %u output at exponent %d", g->src, sk_add_src_exp(m, i));
    } else {
        printf(", %s %ux%u, stride %ux%u", l->kind == SK_LAYER_CONV2D ? "kernel" : "window",
               g->kernel_h, g->kernel_w, g->stride_h, g->stride_w);
    }
    if (l->kind == SK_LAYER_CONV2D)
        printf(", pad top %u left %u bottom %u right %u, %s", g->pad_top, g->pad_left,
               g->pad_bottom, g->pad_right, g->groups > 1 ? "depthwise" : "groups 1");
    printf("\n");
}

static int cmd_info(int argc, char **argv)
{
    const char *pos[1];
    int npos;
    int rc = scan_args(argc, argv, NULL, 0, pos, 1, &npos);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("info needs one model file%s", "");
    sk_model m;
    sk_error err = { { 0 } };
    sk_status st = sk_model_load(pos[0], &m, &err);
    if (st != SK_OK)
        return report(st, &err);
    sk_model_footprint fp;
    sk_model_get_footprint(&m, &fp);
    const sk_shape in_shape = sk_model_in_shape(&m);
    char in_dims[48] = "";
    if (m.layers[0].kind != SK_LAYER_DENSE)
        snprintf(in_dims, sizeof in_dims, " shape %ux%ux%u (HWC)", in_shape.h, in_shape.w,
                 in_shape.c);
    printf("model %s: %u layer%s, input %s %d-bit at exponent %d%s\n", pos[0], m.num_layers,
           m.num_layers == 1 ? "" : "s", m.in.is_signed ? "signed" : "unsigned", m.in.bits,
           m.in_exp, in_dims);
    printf("%-5s %11s %-7s %6s %-9s %-10s %5s %5s %-9s %-17s %-9s %s\n", "layer", "k x n", "kind",
           "w_bits", "out", "rounding", "e_in", "e_out", "e_w", "shift", "flags",
           "acc bound (worst case)");
    for (uint32_t i = 0; i < m.num_layers; i++) {
        const sk_layer *l = &m.layers[i];
        const bool weights = sk_layer_kind_has_weights(l->kind);
        char dims[32], out[16], ew[32], shift[32], flags[32];
        snprintf(dims, sizeof dims, "%ux%u", l->k, l->n);
        if (l->raw_output)
            snprintf(out, sizeof out, "int32 raw");
        else
            snprintf(out, sizeof out, "%s%d", l->out.is_signed ? "s" : "u", l->out.bits);
        int smin = INT_MAX, smax = INT_MIN, emin = INT_MAX, emax = INT_MIN;
        for (uint32_t c = 0; c < (l->per_channel ? l->n : 1); c++) {
            int s = sk_layer_shift(&m, i, c);
            smin = s < smin ? s : smin;
            smax = s > smax ? s : smax;
            if (weights) {
                emin = l->w_exp[c] < emin ? l->w_exp[c] : emin;
                emax = l->w_exp[c] > emax ? l->w_exp[c] : emax;
            }
        }
        if (l->kind == SK_LAYER_MAXPOOL)
            snprintf(shift, sizeof shift, "none");
        else if (smin == smax)
            snprintf(shift, sizeof shift, "%d", smin);
        else
            snprintf(shift, sizeof shift, "%d..%d per-chan", smin, smax);
        if (!weights)
            snprintf(ew, sizeof ew, "-");
        else if (emin == emax)
            snprintf(ew, sizeof ew, "%d", emin);
        else
            snprintf(ew, sizeof ew, "%d..%d", emin, emax);
        snprintf(flags, sizeof flags, "%s%s%s", l->relu ? "relu " : "",
                 !weights ? "" : l->per_channel ? "per-chan" : "per-layer", "");
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (uint32_t n = 0; n < (weights ? l->n : 1); n++) {
            int64_t clo, chi;
            sk_layer_acc_bounds(&m, i, n, &clo, &chi);
            lo = clo < lo ? clo : lo;
            hi = chi > hi ? chi : hi;
        }
        printf("%-5u %11s %-7s %6d %-9s %-10s %5d %5d %-9s %-17s %-9s %" PRId64 "..%" PRId64 "\n",
               i, dims, sk_layer_kind_name(l->kind), l->w_bits, out, sk_rounding_name(l->rounding),
               sk_layer_in_exp(&m, i), l->out_exp, ew, shift, flags, lo, hi);
        if (l->kind != SK_LAYER_DENSE)
            print_geometry(&m, i);
    }
    printf("footprint: %" PRIu64 " weights (%" PRIu64 " bytes at 8 bits), %" PRIu64
           " biases (%" PRIu64 " bytes), largest activation vector %" PRIu64 ", %" PRIu64
           " MACs per sample, file %" PRIu64 " bytes\n",
           fp.weights, fp.weights, fp.biases, 4 * fp.biases, fp.max_activation, fp.macs,
           fp.file_bytes);
    sk_model_free(&m);
    return 0;
}

/* ---- run / check helpers ---- */

static const sk_backend *find_backend(const char *name, const sk_backend *const *backends,
                                      size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!strcmp(backends[i]->name, name))
            return backends[i];
    return NULL;
}

/* Run `shiftkit-<name>` from this executable's directory with our arguments. Only
 * returns on failure. */
static int exec_backend(const char *name, char **argv)
{
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return usage_error("cannot locate this executable to find backend '%s'", name);
    self[len] = 0;
    char *slash = strrchr(self, '/');
    if (slash)
        slash[1] = 0;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%sshiftkit-%s", self, name);
    if (access(path, X_OK) != 0) {
        fprintf(stderr,
                "shiftkit: backend '%s' is not available: %s does not exist (build it with "
                "'make %s')\n",
                name, path, !strcmp(name, "rtl") ? "rtl-backend" : "device-backend");
        return EXIT_USAGE;
    }
    argv[0] = path;
    execv(path, argv);
    fprintf(stderr, "shiftkit: cannot run %s: %s\n", path, strerror(errno));
    return EXIT_MISMATCH;
}

/* dir + "/" + name into out (PATH_MAX); false if the path would be too long. */
static bool path_join(char *out, const char *dir, const char *name)
{
    int len = snprintf(out, PATH_MAX, "%s/%s", dir, name);
    return len > 0 && len < PATH_MAX;
}

static int write_trace(const sk_trace *trace, const char *dir, sk_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        if (snprintf(err->msg, sizeof err->msg, "%s: cannot create trace directory: %s", dir,
                     strerror(errno)) < 0)
            err->msg[0] = 0;
        return -1;
    }
    for (uint32_t i = 0; i < trace->num_layers; i++) {
        char path[PATH_MAX], name[32];
        snprintf(name, sizeof name, "layer%02u_acc.npy", i);
        if (!path_join(path, dir, name) || sk_npy_save(&trace->acc[i], path, err) != SK_OK)
            return -1;
        snprintf(name, sizeof name, "layer%02u_out.npy", i);
        if (!path_join(path, dir, name) || sk_npy_save(&trace->out[i], path, err) != SK_OK)
            return -1;
    }
    return 0;
}

static int cmd_run(int argc, char **argv, const sk_backend *backend)
{
    opt_spec opts[] = { { "-o", true, NULL, false }, { "--trace", true, NULL, false },
                        { "--backend", true, NULL, false } };
    const char *pos[2];
    int npos;
    int rc = scan_args(argc, argv, opts, 3, pos, 2, &npos);
    if (rc)
        return rc;
    if (npos != 2 || !opts[0].value)
        return usage_error("run needs MODEL.skm INPUT.npy -o OUTPUT.npy%s", "");
    if (opts[1].value && strcmp(backend->name, "golden"))
        return usage_error("--trace is available with the golden backend only, not '%s'",
                           backend->name);
    sk_model m;
    sk_tensor in, out;
    sk_trace trace = { 0 };
    sk_error err = { { 0 } };
    sk_status st = sk_model_load(pos[0], &m, &err);
    if (st != SK_OK)
        return report(st, &err);
    st = sk_npy_load(pos[1], &in, &err);
    if (st != SK_OK) {
        sk_model_free(&m);
        return report(st, &err);
    }
    if (opts[1].value)
        st = sk_infer(&m, &in, pos[1], &out, &trace, &err);
    else
        st = backend->run(backend->ctx, &m, pos[0], &in, &out, &err);
    if (st == SK_OK) {
        st = sk_npy_save(&out, opts[0].value, &err);
        if (st == SK_OK && opts[1].value && write_trace(&trace, opts[1].value, &err) != 0)
            st = SK_ERR_IO;
        sk_tensor_free(&out);
    }
    sk_trace_free(&trace);
    sk_tensor_free(&in);
    sk_model_free(&m);
    if (st != SK_OK)
        return report(st, &err);
    return 0;
}

static int cmd_check(int argc, char **argv, const sk_backend *backend)
{
    opt_spec opts[] = { { "--backend", true, NULL, false } };
    const char *pos[3];
    int npos;
    int rc = scan_args(argc, argv, opts, 1, pos, 3, &npos);
    if (rc)
        return rc;
    if (npos != 3)
        return usage_error("check needs MODEL.skm INPUT.npy EXPECTED.npy%s", "");
    sk_model m;
    sk_tensor in = { 0 }, want = { 0 }, got = { 0 };
    sk_error err = { { 0 } };
    sk_status st = sk_model_load(pos[0], &m, &err);
    if (st != SK_OK)
        return report(st, &err);
    st = sk_npy_load(pos[1], &in, &err);
    if (st == SK_OK)
        st = sk_npy_load(pos[2], &want, &err);
    if (st == SK_OK)
        st = backend->run(backend->ctx, &m, pos[0], &in, &got, &err);
    if (st != SK_OK) {
        sk_tensor_free(&in);
        sk_tensor_free(&want);
        sk_model_free(&m);
        return report(st, &err);
    }
    const uint32_t last = m.num_layers - 1;
    const sk_shape out_shape = sk_layer_out_shape(&m, last);
    const size_t n = (size_t)sk_shape_size(out_shape), out_c = out_shape.c;
    const size_t count = sk_tensor_count(&got), batch = count / n;
    int result = 0;
    if (sk_tensor_count(&want) != count) {
        fprintf(stderr, "shiftkit: error: %s: shape: holds %zu values, the model produces "
                "[%zu][%zu] = %zu\n", pos[2], sk_tensor_count(&want), batch, n, count);
        result = EXIT_MISMATCH;
    } else {
        size_t failed = 0;
        for (size_t b = 0; b < batch; b++) {
            for (size_t c = 0; c < n; c++) {
                const size_t i = b * n + c;
                if (got.data[i] == want.data[i])
                    continue;
                if (failed == 0)
                    printf("first mismatch: sample %zu, layer %u, channel %zu, index %zu: got "
                           "%d, want %d (backend %s)\n",
                           b, last, c % out_c, i, got.data[i], want.data[i], backend->name);
                failed++;
                break;
            }
        }
        printf("%zu passed, %zu failed\n", batch - failed, failed);
        result = failed ? EXIT_MISMATCH : 0;
    }
    sk_tensor_free(&got);
    sk_tensor_free(&in);
    sk_tensor_free(&want);
    sk_model_free(&m);
    return result;
}

/* ---- gen ---- */

static int write_case(const char *dir, const sk_model *m, const sk_tensor *in, sk_error *err)
{
    char path[PATH_MAX];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        if (snprintf(err->msg, sizeof err->msg, "%s: cannot create: %s", dir, strerror(errno)) < 0)
            err->msg[0] = 0;
        return -1;
    }
    sk_tensor want;
    if (sk_infer(m, in, dir, &want, NULL, err) != SK_OK)
        return -1;
    int rc = 0;
    if (!path_join(path, dir, "model.skm") || sk_model_save(m, path, err) != SK_OK)
        rc = -1;
    if (rc == 0 && (!path_join(path, dir, "input.npy") || sk_npy_save(in, path, err) != SK_OK))
        rc = -1;
    if (rc == 0 &&
        (!path_join(path, dir, "expected.npy") || sk_npy_save(&want, path, err) != SK_OK))
        rc = -1;
    sk_tensor_free(&want);
    return rc;
}

static int cmd_gen(int argc, char **argv)
{
    opt_spec opts[] = { { "--seed", true, NULL, false },       { "--count", true, NULL, false },
                        { "-o", true, NULL, false },           { "--first", true, NULL, false },
                        { "--max-layers", true, NULL, false }, { "--max-dim", true, NULL, false },
                        { "--max-batch", true, NULL, false },  { "--quiet", false, NULL, false },
                        { "--cnn", false, NULL, false } };
    const char *pos[1];
    int npos;
    int rc = scan_args(argc, argv, opts, 9, pos, 0, &npos);
    if (rc)
        return rc;
    uint64_t seed;
    long count, first = 0, v;
    if (!parse_u64(opts[0].value, &seed))
        return usage_error("gen needs --seed S (a non-negative integer)%s", "");
    if (!parse_long(opts[1].value, 1, 1000000, &count))
        return usage_error("gen needs --count N with N in 1..1000000%s", "");
    if (!opts[2].value)
        return usage_error("gen needs -o DIR%s", "");
    if (opts[3].value && !parse_long(opts[3].value, 0, 100000000, &first))
        return usage_error("--first must be an integer in 0..100000000, not '%s'", opts[3].value);
    sk_gen_limits limits;
    sk_gen_default_limits(&limits);
    if (opts[4].value) {
        if (!parse_long(opts[4].value, 1, SK_MODEL_MAX_LAYERS, &v))
            return usage_error("--max-layers must be in 1..64, not '%s'", opts[4].value);
        limits.max_layers = (uint32_t)v;
    }
    if (opts[5].value) {
        if (!parse_long(opts[5].value, 1, SK_MODEL_MAX_DIM, &v))
            return usage_error("--max-dim must be in 1..65535, not '%s'", opts[5].value);
        limits.max_dim = (uint32_t)v;
    }
    if (opts[6].value) {
        if (!parse_long(opts[6].value, 1, 65536, &v))
            return usage_error("--max-batch must be in 1..65536, not '%s'", opts[6].value);
        limits.max_batch = (uint32_t)v;
    }
    limits.cnn = opts[8].seen;
    const char *dir = opts[2].value;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "shiftkit: error: %s: cannot create output directory: %s\n", dir,
                strerror(errno));
        return EXIT_MISMATCH;
    }
    for (long i = first; i < first + count; i++) {
        sk_model m;
        sk_tensor in;
        sk_error err = { { 0 } };
        char case_dir[PATH_MAX], name[32];
        snprintf(name, sizeof name, "case_%04ld", i);
        if (!path_join(case_dir, dir, name))
            return usage_error("output directory name '%s' is too long", dir);
        sk_status st = sk_gen_case(seed, (uint32_t)i, &limits, &m, &in, &err);
        if (st != SK_OK)
            return report(st, &err);
        int failed = write_case(case_dir, &m, &in, &err);
        sk_model_free(&m);
        sk_tensor_free(&in);
        if (failed) {
            fprintf(stderr, "shiftkit: error: case %ld of seed %" PRIu64 ": %s\n", i, seed,
                    err.msg);
            return EXIT_MISMATCH;
        }
        if (!opts[7].seen && ((i - first + 1) % 100 == 0 || i + 1 == first + count))
            fprintf(stderr, "gen: %ld/%ld cases written to %s\n", i - first + 1, count, dir);
    }
    char path[PATH_MAX];
    FILE *f = path_join(path, dir, "manifest.txt") ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "generator: shiftkit %s gen\nseed: %" PRIu64 "\nfirst: %ld\ncount: %ld\n"
                "max_layers: %u\nmax_dim: %u\nmax_batch: %u\n%s"
                "replay one case: shiftkit gen --seed %" PRIu64 " --first I --count 1 "
                "--max-layers %u --max-dim %u --max-batch %u%s -o DIR\n",
                SK_VERSION, seed, first, count, limits.max_layers, limits.max_dim,
                limits.max_batch, limits.cnn ? "family: cnn\n" : "", seed, limits.max_layers,
                limits.max_dim, limits.max_batch, limits.cnn ? " --cnn" : "");
        fclose(f);
    }
    return 0;
}

/* ---- requant ---- */

static int requant_one(long acc, long shift, const char *mode_name, long bits, bool is_signed,
                       bool relu, const char *where)
{
    sk_rounding mode;
    if (!sk_rounding_parse(mode_name, &mode)) {
        fprintf(stderr, "shiftkit: %sfield MODE: '%s' is not floor, half_up, half_away or "
                "half_even\n", where, mode_name);
        return EXIT_USAGE;
    }
    if (shift < SK_SHIFT_MIN || shift > SK_SHIFT_MAX) {
        fprintf(stderr, "shiftkit: %sfield SHIFT: %ld is outside %d..%d\n", where, shift,
                SK_SHIFT_MIN, SK_SHIFT_MAX);
        return EXIT_USAGE;
    }
    if (bits < SK_BITS_MIN || bits > SK_BITS_MAX) {
        fprintf(stderr, "shiftkit: %sfield BITS: %ld is outside 2..8\n", where, bits);
        return EXIT_USAGE;
    }
    sk_qtype out = { (int)bits, is_signed };
    printf("%d\n", sk_requantize((int32_t)acc, (int)shift, mode, out, relu));
    return 0;
}

static int requant_stdin(void)
{
    char line[512];
    unsigned lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, stdin)) {
        lineno++;
        char where[64];
        snprintf(where, sizeof where, "stdin line %u: ", lineno);
        char *save = NULL, *tok[7];
        int ntok = 0;
        for (char *t = strtok_r(line, " \t\r\n", &save); t && ntok < 7;
             t = strtok_r(NULL, " \t\r\n", &save))
            tok[ntok++] = t;
        if (ntok == 0 || tok[0][0] == '#')
            continue;
        long acc, shift, bits, sgn, relu;
        if (ntok != 6) {
            fprintf(stderr, "shiftkit: %sexpected 6 fields 'ACC SHIFT MODE BITS SIGNED RELU', "
                    "got %d\n", where, ntok);
            return EXIT_USAGE;
        }
        if (!parse_long(tok[0], INT32_MIN, INT32_MAX, &acc)) {
            fprintf(stderr, "shiftkit: %sfield ACC: '%s' is not an int32\n", where, tok[0]);
            return EXIT_USAGE;
        }
        if (!parse_long(tok[1], -1000, 1000, &shift) || !parse_long(tok[3], -1000, 1000, &bits) ||
            !parse_long(tok[4], 0, 1, &sgn) || !parse_long(tok[5], 0, 1, &relu)) {
            fprintf(stderr, "shiftkit: %sfields SHIFT, BITS must be integers and SIGNED, RELU "
                    "0 or 1\n", where);
            return EXIT_USAGE;
        }
        rc = requant_one(acc, shift, tok[2], bits, sgn != 0, relu != 0, where);
        if (rc)
            return rc;
    }
    return 0;
}

static int cmd_requant(int argc, char **argv)
{
    if (argc == 1 && !strcmp(argv[0], "-"))
        return requant_stdin();
    opt_spec opts[] = { { "--acc", true, NULL, false },      { "--shift", true, NULL, false },
                        { "--mode", true, NULL, false },     { "--bits", true, NULL, false },
                        { "--unsigned", false, NULL, false }, { "--relu", false, NULL, false } };
    const char *pos[1];
    int npos;
    int rc = scan_args(argc, argv, opts, 6, pos, 0, &npos);
    if (rc)
        return rc;
    long acc, shift, bits;
    if (!parse_long(opts[0].value, INT32_MIN, INT32_MAX, &acc))
        return usage_error("requant needs --acc A with A an int32%s", "");
    if (!parse_long(opts[1].value, -1000, 1000, &shift))
        return usage_error("requant needs --shift S (an integer in -16..31)%s", "");
    if (!opts[2].value)
        return usage_error("requant needs --mode floor|half_up|half_away|half_even%s", "");
    if (!parse_long(opts[3].value, -1000, 1000, &bits))
        return usage_error("requant needs --bits B (2..8)%s", "");
    return requant_one(acc, shift, opts[2].value, bits, !opts[4].seen, opts[5].seen, "");
}

/* ---- entry ---- */

int sk_cli_main(int argc, char **argv, const sk_backend *const *backends, size_t count)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("shiftkit %s (.skm versions %d..%d)\n", SK_VERSION, SK_MODEL_VERSION_DENSE,
               SK_MODEL_VERSION);
        return 0;
    }
    const char *cmd = argv[1];
    int sub_argc = argc - 2;
    char **sub_argv = argv + 2;
    for (int i = 0; i < sub_argc; i++)
        if (!strcmp(sub_argv[i], "--help") || !strcmp(sub_argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
    if (!strcmp(cmd, "run") || !strcmp(cmd, "check")) {
        const char *name = "golden";
        for (int i = 0; i + 1 < sub_argc; i++)
            if (!strcmp(sub_argv[i], "--backend"))
                name = sub_argv[i + 1];
        const sk_backend *backend = find_backend(name, backends, count);
        if (!backend)
            return exec_backend(name, argv);
        return !strcmp(cmd, "run") ? cmd_run(sub_argc, sub_argv, backend)
                                   : cmd_check(sub_argc, sub_argv, backend);
    }
    if (!strcmp(cmd, "info"))
        return cmd_info(sub_argc, sub_argv);
    if (!strcmp(cmd, "gen"))
        return cmd_gen(sub_argc, sub_argv);
    if (!strcmp(cmd, "requant"))
        return cmd_requant(sub_argc, sub_argv);
    return usage_error("unknown command '%s'", cmd);
}
