/* SPDX-License-Identifier: MIT */
/* Native code for formula surfaces (core/engine/expr/native.c): the same numbers as the tape, NaNs
 * included, for every operator and function; the tape whenever native code is turned off, the
 * compiler fails, hangs or miscompiles; and a cache that spares the second compile and leaves no
 * temporary file behind. Each part runs with a cache directory of its own (XDG_CACHE_HOME). */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "gdlab/expr.h"

static char err[GDLAB_ERRLEN];
static char root[256]; /* this test's scratch directory */
static int have_cc;    /* a C compiler is installed: native code is expected, not only fallbacks */

/* splitmix64 (Steele, Lea & Flood 2014): uniform doubles in [0, 1). */
static double uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

static gdlab_surface *surface_of(const char *source, size_t dim)
{
    gdlab_expr *e = gdlab_expr_compile(source, NULL, dim, NULL, 0, err, sizeof err);
    if (!e) fprintf(stderr, "'%s': %s\n", source, err);
    CHECK(e != NULL);
    gdlab_surface *s = e ? gdlab_expr_surface(e, NULL, err, sizeof err) : NULL;
    CHECK(s != NULL);
    return s;
}

/* A fresh directory under root, named name, as XDG_CACHE_HOME; returns its cache folder. */
static void fresh_cache(const char *name, char *cache, size_t len)
{
    snprintf(cache, len, "%s/%s", root, name);
    mkdir(cache, 0700);
    setenv("XDG_CACHE_HOME", cache, 1);
    strncat(cache, "/gdlab", len - strlen(cache) - 1);
}

/* Write an executable shell script. */
static void script(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
}

/* Number of entries in dir whose name starts with prefix (all when prefix is ""). */
static int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    const struct dirent *ent;
    while ((ent = readdir(d)))
        if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..") && strncmp(ent->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF) n += c == '\n';
    fclose(f);
    return n;
}

/* Native and tape agree: the same NaNs and infinities, finite values within 1e-14 relative. */
static int agree(double native, double tape, double scale)
{
    if (isnan(native) || isnan(tape)) return isnan(native) && isnan(tape);
    if (isinf(native) || isinf(tape)) return native == tape;
    return fabs(native - tape) <= 1e-14 * scale;
}

/* Every operator and function, kinks, ties, domain errors and overflow, in 1 to 5 variables:
 * 1,000 points each, native against the tape on value and gradient. */
static void native_code_computes_what_the_tape_computes(void)
{
    static const struct {
        const char *source;
        size_t dim; /* 0: from the names */
    } cases[] = {
        {"x + y", 0}, {"x - y", 0}, {"x*y", 0}, {"x/y", 0}, {"x^y", 0}, {"pow(y, x)", 0}, {"2^x - e^y", 0},
        {"(x + 3)^(y/2)", 0}, {"min(x, y)", 0}, {"max(x, y)", 0}, {"min(x, 0.5) + max(-1, y)", 0},
        {"max(1, y, x) - min(x, y, 0)", 0}, {"x + 3 - y", 0}, {"3 - x*y", 0}, {"2.5*x*y", 0}, {"(x + y)/3", 0},
        {"3/(x - y)", 0}, {"-(x*y) + -sin(x)", 0}, {"(x - y)^2", 0}, {"x^3 + y^7 - (x*y)^64", 0},
        {"x^2.5 + y^-1 + (x + y)^-2.5 + x^(1/3)", 0}, {"sqrt(x) + y^0.5", 0}, {"exp(x)*exp(exp(y))", 0},
        {"log(x) + log(x*y)", 0}, {"sin(x*y)", 0}, {"cos(x - y)", 0}, {"tan(x) + tanh(y)", 0},
        {"abs(x) + abs(x - y)", 0}, {"y", 2}, {"pi", 1}, {"x^y^2 + log(abs(x))", 0},
        {"(1 - x)^2 + 100*(y - x^2)^2", 0},
        {"(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
         "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))", 0},
        {"-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + 20 + e", 0},
        {"sin(x)^3 - x/(1 + x^2)", 0},
        {"x1*x2 + sqrt(x3) - log(x1)", 0},
        {"x1^2 + 2*x2^2 + 3*x3^2 + x4*x5 + min(x1, x5) + max(x2, x3)/(1 + x4^2)", 0},
    };
    int checked = 0, identical = 0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *src = cases[c].source;
        gdlab_expr *tape = gdlab_expr_compile(src, NULL, cases[c].dim, NULL, 0, err, sizeof err);
        gdlab_surface *s = surface_of(src, cases[c].dim);
        CHECK(tape != NULL);
        if (!tape || !s) continue;
        if (!gdlab_expr_is_native(s)) {
            fprintf(stderr, "'%s': %s\n", src, gdlab_expr_native_info(s));
            CHECK(gdlab_expr_is_native(s));
        }
        const size_t n = gdlab_expr_dim(tape);
        uint64_t seed = 1000 + c;
        int bad = 0;
        for (int k = 0; k < 1000; k++) {
            double x[5], gt[5], gn[5];
            for (size_t i = 0; i < n; i++) {
                const double r = uniform(&seed);
                x[i] = r < 0.08   ? 0.0                                     /* kinks: abs, min, max at 0 */
                     : r < 0.12 ? (uniform(&seed) < 0.5 ? 800.0 : -800.0) /* overflow */
                     : i > 0 && r < 0.2 ? x[i - 1]                           /* ties */
                                        : -4.0 + 8.0 * uniform(&seed);  /* domain errors below 0 */
            }
            const double ft = gdlab_expr_eval(tape, x, gt, NULL), fn = gdlab_surface_eval(s, x, gn);
            const double fv = gdlab_surface_eval(s, x, NULL); /* the value alone, too */
            double scale = 0.0;
            for (size_t i = 0; i < n; i++)
                if (isfinite(gt[i])) scale = fmax(scale, fabs(gt[i]));
            int ok = agree(fn, ft, fabs(ft)) && agree(fv, ft, fabs(ft)), same = fn == ft || (isnan(fn) && isnan(ft));
            for (size_t i = 0; i < n; i++) {
                ok = ok && agree(gn[i], gt[i], scale);
                same = same && (gn[i] == gt[i] || (isnan(gn[i]) && isnan(gt[i])));
            }
            if (!ok && bad++ == 0)
                fprintf(stderr, "'%s' at x = (%.17g, %.17g): native f %.17g df/dx %.17g, tape %.17g %.17g\n", src, x[0],
                        n > 1 ? x[1] : 0.0, fn, gn[0], ft, gt[0]);
            checked++, identical += same;
        }
        CHECK(bad == 0);
        gdlab_expr_free(tape);
        gdlab_surface_free(s);
    }
    printf("native and tape: %d points, %d bit for bit identical\n", checked, identical);
}

static void gdlab_native_0_keeps_the_tape(void)
{
    char cache[300];
    fresh_cache("off", cache, sizeof cache);
    setenv("GDLAB_NATIVE", "0", 1);
    gdlab_surface *s = surface_of("(1 - x)^2 + 100*(y - x^2)^2", 0);
    unsetenv("GDLAB_NATIVE");
    if (!s) return;
    CHECK(!gdlab_expr_is_native(s));
    CHECK_STR_CONTAINS(gdlab_expr_native_info(s), "tape: GDLAB_NATIVE=0");
    double g[2];
    CHECK(gdlab_surface_eval(s, (const double[]){1.0, 1.0}, g) == 0.0 && g[0] == 0.0 && g[1] == 0.0);
    CHECK(count_files(cache, "") <= 0); /* nothing compiled, nothing written */
    gdlab_surface_free(s);

    gdlab_surface *t = surface_of("(1 - x)^2 + 100*(y - x^2)^2", 0); /* and back on */
    if (t && have_cc) CHECK(gdlab_expr_is_native(t));
    gdlab_surface_free(t);
}

/* The surface still works, on the tape, and says why; no temporary file is left. */
static void falls_back(const char *cc, const char *source, const char *why)
{
    char cache[300];
    fresh_cache("bad", cache, sizeof cache);
    setenv("GDLAB_CC", cc, 1);
    gdlab_surface *s = surface_of(source, 0);
    unsetenv("GDLAB_CC");
    if (!s) return;
    CHECK(!gdlab_expr_is_native(s));
    CHECK_STR_CONTAINS(gdlab_expr_native_info(s), "tape: ");
    CHECK_STR_CONTAINS(gdlab_expr_native_info(s), why);
    double g[2];
    CHECK(gdlab_surface_eval(s, (const double[]){0.0, 2.0}, g) == 2.0 && g[0] == 1.0 && g[1] == 1.0);
    CHECK(count_files(cache, "") == 0);
    gdlab_surface_free(s);
}

static void a_failing_compiler_leaves_the_tape_with_the_reason(void)
{
    char path[300], body[400];
    falls_back("/bin/false", "sin(x) + y", "the C compiler '/bin/false' failed (exit status 1)");
    falls_back("/nonexistent/cc", "sin(x) + y", "cannot run the C compiler '/nonexistent/cc'");

    snprintf(path, sizeof path, "%s/noisy-cc", root); /* its first line of complaint is kept */
    script(path, "echo 'fatal: no licence' >&2; exit 3");
    falls_back(path, "sin(x) + y", "failed (exit status 3): fatal: no licence");

    snprintf(path, sizeof path, "%s/junk-cc", root); /* claims success, writes no shared object */
    script(path, "while [ $# -gt 0 ]; do [ \"$1\" = -o ] && echo junk > \"$2\"; shift; done; exit 0");
    falls_back(path, "sin(x) + y", "not an ELF");

    snprintf(path, sizeof path, "%s/wrong-cc", root); /* compiles something else: the check catches it */
    script(path, "exec cc \"$@\" -Dsin=cos");
    if (have_cc) falls_back(path, "sin(x) + y", "differs from the tape");

    snprintf(path, sizeof path, "%s/slow-cc", root); /* hangs: stopped after GDLAB_CC_TIMEOUT */
    snprintf(body, sizeof body, "sleep 30; exec cc \"$@\"");
    script(path, body);
    setenv("GDLAB_CC_TIMEOUT", "0.3", 1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    falls_back(path, "sin(x) + y", "took more than 0.3 s");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    unsetenv("GDLAB_CC_TIMEOUT");
    CHECK((double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec) < 5.0);
}

/* The second surface of a formula loads the cached object without running the compiler; a damaged
 * cache file is rebuilt. Counted by a compiler wrapper. */
static void the_cache_spares_the_second_compile(void)
{
    char cache[300], cc[300], count[300], body[700], so[600] = "";
    fresh_cache("cache", cache, sizeof cache);
    snprintf(cc, sizeof cc, "%s/counting-cc", root);
    snprintf(count, sizeof count, "%s/count", root);
    snprintf(body, sizeof body, "echo run >> '%s'; exec cc \"$@\"", count);
    script(cc, body);
    setenv("GDLAB_CC", cc, 1);
    const char *source = "x*exp(-x^2 - y^2) + 0.05*(x^2 + y^2)";

    gdlab_surface *a = surface_of(source, 0);
    CHECK(count_lines(count) == 1);
    if (a) {
        CHECK(gdlab_expr_is_native(a));
        CHECK_STR_CONTAINS(gdlab_expr_native_info(a), "compiled in");
        const char *info = gdlab_expr_native_info(a), *p = strstr(info, cache);
        if (p) snprintf(so, sizeof so, "%.*s", (int)strcspn(p, " "), p);
    }
    CHECK(count_files(cache, "expr-") == 2); /* the object and its record (key and SHA-256) */
    CHECK(count_files(cache, "") == 2);      /* no work directory or source left */
    struct stat st;
    CHECK(stat(cache, &st) == 0 && (st.st_mode & 077) == 0);

    gdlab_surface *b = surface_of(source, 0);
    CHECK(count_lines(count) == 1);
    if (b) {
        CHECK(gdlab_expr_is_native(b));
        CHECK_STR_CONTAINS(gdlab_expr_native_info(b), "(from the cache)");
    }
    double ga[2], gb[2];
    if (a && b) CHECK(gdlab_surface_eval(a, (const double[]){0.5, -0.25}, ga) ==
                          gdlab_surface_eval(b, (const double[]){0.5, -0.25}, gb) && ga[0] == gb[0] && ga[1] == gb[1]);
    gdlab_surface_free(a);
    gdlab_surface_free(b);

    /* a truncated cache file (a crash, a full disk) is refused before dlopen and compiled again */
    CHECK(so[0] && truncate(so, 100) == 0);
    gdlab_surface *c = surface_of(source, 0);
    CHECK(count_lines(count) == 2);
    if (c) CHECK(gdlab_expr_is_native(c));
    CHECK(count_files(cache, "") == 2);
    gdlab_surface_free(c);
    unsetenv("GDLAB_CC");
}

/* Flip one byte of the object in the middle of the file (where the ELF check does not look). */
static void flip_byte(const char *path)
{
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (!f) return;
    fseek(f, 0, SEEK_END);
    const long mid = ftell(f) / 2;
    fseek(f, mid, SEEK_SET);
    const int c = fgetc(f);
    fseek(f, mid, SEEK_SET);
    fputc(c ^ 0x20, f);
    fclose(f);
}

/* The object a formula's info names ("native: PATH (...)"). */
static void object_of(const gdlab_surface *s, const char *cache, char *so, size_t len)
{
    const char *p = s ? strstr(gdlab_expr_native_info(s), cache) : NULL;
    snprintf(so, len, "%.*s", p ? (int)strcspn(p, " ") : 0, p ? p : "");
}

/* A cache entry is loaded only when its record names this formula and its bytes hash to the record's
 * SHA-256: a flipped byte, an entry renamed from another formula and a symbolic link are each refused
 * (the reason kept in the info) and compiled again over. */
static void a_tampered_cache_entry_is_refused_and_rebuilt(void)
{
    char cache[300], so[600], other[600], record[600], other_record[600];
    fresh_cache("tamper", cache, sizeof cache);
    const char *source = "sin(x)*cos(y) + 0.1*x^2";
    gdlab_surface *a = surface_of(source, 0);
    object_of(a, cache, so, sizeof so);
    gdlab_surface_free(a);
    CHECK(so[0] != '\0');
    snprintf(record, sizeof record, "%.*s.sha256", (int)strlen(so) - 3, so);

    flip_byte(so);
    gdlab_surface *b = surface_of(source, 0);
    if (b) {
        CHECK(gdlab_expr_is_native(b));
        CHECK_STR_CONTAINS(gdlab_expr_native_info(b), "compiled in");
        char want[900];
        snprintf(want, sizeof want, "the cached copy was refused: %s: its content does not match the SHA-256 "
                 "recorded when it was compiled (it was changed or damaged since)", so);
        CHECK_STR_CONTAINS(gdlab_expr_native_info(b), want);
    }
    gdlab_surface_free(b);
    gdlab_surface *c = surface_of(source, 0); /* the rebuilt entry is good again */
    if (c) CHECK_STR_CONTAINS(gdlab_expr_native_info(c), "(from the cache)");
    gdlab_surface_free(c);

    /* another formula's entry renamed (object and record) into this one's place */
    gdlab_surface *d = surface_of("x^4 + y^4", 0);
    object_of(d, cache, other, sizeof other);
    gdlab_surface_free(d);
    snprintf(other_record, sizeof other_record, "%.*s.sha256", (int)strlen(other) - 3, other);
    CHECK(rename(other, so) == 0 && rename(other_record, record) == 0);
    gdlab_surface *e = surface_of(source, 0);
    if (e) {
        CHECK(gdlab_expr_is_native(e));
        CHECK_STR_CONTAINS(gdlab_expr_native_info(e), "belongs to another formula");
        double g[2];
        CHECK(gdlab_surface_eval(e, (const double[]){0.0, 0.0}, g) == 0.0 && g[0] == 1.0 && g[1] == 0.0);
    }
    gdlab_surface_free(e);

    /* a symbolic link in the cache is not followed, even to a good object */
    char target[700];
    snprintf(target, sizeof target, "%s/elsewhere.so", root);
    CHECK(rename(so, target) == 0 && symlink(target, so) == 0);
    gdlab_surface *f = surface_of(source, 0);
    if (f) {
        CHECK(gdlab_expr_is_native(f));
        CHECK_STR_CONTAINS(gdlab_expr_native_info(f), "is a symbolic link, and links are not followed here");
    }
    gdlab_surface_free(f);
    struct stat st;
    CHECK(lstat(so, &st) == 0 && S_ISREG(st.st_mode)); /* the link was replaced by a compiled object */
}

/* A cache below a folder that others can write is not used (loader.h's trust rule): the formula is
 * compiled in a temporary folder, with the reason in the info. */
static void a_cache_below_an_open_folder_is_not_used(void)
{
    char cache[300], parent[300], want[9000];
    fresh_cache("open", cache, sizeof cache);
    snprintf(parent, sizeof parent, "%s/open", root);
    CHECK(chmod(parent, 0777) == 0);
    gdlab_surface *s = surface_of("x^2 + y^2 + x*y", 0);
    char real[4096];
    CHECK(realpath(parent, real) != NULL);
    if (s) {
        CHECK(gdlab_expr_is_native(s));
        /* "by everyone", or "by its group 'g' and everyone" when the folder's group is not private */
        snprintf(want, sizeof want, "not cached (folder '%s' is writable by ", real);
        CHECK_STR_CONTAINS(gdlab_expr_native_info(s), want);
        snprintf(want, sizeof want, "everyone (mode 0777), so another user could replace the code; fix: chmod go-w '%s')",
                 real);
        CHECK_STR_CONTAINS(gdlab_expr_native_info(s), want);
    }
    CHECK(count_files(cache, "") == 0);
    gdlab_surface_free(s);
    chmod(parent, 0700);
}

/* Without a usable cache directory the object is built in a temporary one, used, and deleted. */
static void without_a_cache_nothing_is_left_behind(void)
{
    char file[300], tmp[300];
    snprintf(file, sizeof file, "%s/not-a-directory", root);
    script(file, "");
    setenv("XDG_CACHE_HOME", file, 1);
    snprintf(tmp, sizeof tmp, "%s/tmp", root);
    mkdir(tmp, 0700);
    const char *old_tmp = getenv("TMPDIR");
    char *saved = old_tmp ? strdup(old_tmp) : NULL;
    setenv("TMPDIR", tmp, 1);
    gdlab_surface *s = surface_of("x^2 + 3*y^2 + sin(x*y)", 0);
    if (s) {
        CHECK(gdlab_expr_is_native(s));
        CHECK_STR_CONTAINS(gdlab_expr_native_info(s), "not cached");
        double g[2];
        CHECK(gdlab_surface_eval(s, (const double[]){1.0, 0.0}, g) == 1.0 && g[0] == 2.0 && g[1] == 1.0);
    }
    CHECK(count_files(tmp, "") == 0);
    gdlab_surface_free(s);
    if (saved) setenv("TMPDIR", saved, 1);
    else unsetenv("TMPDIR");
    free(saved);
}

static double plain_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    if (grad) grad[0] = 1.0;
    return x[0];
}

static void other_surfaces_are_not_native(void)
{
    static const gdlab_surface_desc desc = {
        .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "plain", "x", "f = x"),
        .eval = plain_eval,
    };
    gdlab_surface *s = gdlab_surface_wrap(&desc, 1, NULL, NULL);
    CHECK(s != NULL);
    CHECK(!gdlab_expr_is_native(s));
    CHECK_STR_CONTAINS(gdlab_expr_native_info(s), "not a formula surface");
    gdlab_surface_free(s);
}

/* rm -r of this test's scratch directory (two levels are all it makes, plus the cache's own). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        unlink(dir);
        return;
    }
    const struct dirent *ent;
    char path[600];
    while ((ent = readdir(d)))
        if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
            struct stat st;
            if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(path);
            else unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/gdlab-native-test-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    unsetenv("GDLAB_NATIVE");
    unsetenv("GDLAB_CC");
    unsetenv("GDLAB_CC_TIMEOUT");
    char cache[300];
    fresh_cache("main", cache, sizeof cache);
    gdlab_surface *probe = surface_of("x + y", 0);
    have_cc = probe && !strstr(gdlab_expr_native_info(probe), "cannot run the C compiler");
    if (!have_cc) printf("no C compiler (%s): only the fallbacks are tested\n", gdlab_expr_native_info(probe));
    gdlab_surface_free(probe);
    if (have_cc) native_code_computes_what_the_tape_computes();
    gdlab_native_0_keeps_the_tape();
    a_failing_compiler_leaves_the_tape_with_the_reason();
    if (have_cc) {
        the_cache_spares_the_second_compile();
        a_tampered_cache_entry_is_refused_and_rebuilt();
        a_cache_below_an_open_folder_is_not_used();
        without_a_cache_nothing_is_left_behind();
    }
    other_surfaces_are_not_native();
    remove_tree(root);
    return CHECK_RESULT();
}
