/* SPDX-License-Identifier: MIT */
/* native.c — a formula's value and gradient as native code: the tape written out as C (one
 * statement per instruction and per derivative, the forward-mode rules of hyperdual.h at order 1),
 * compiled by the system C compiler into a shared object and dlopened.
 *
 * Only an optimisation: the tape stays, and whenever anything here fails (GDLAB_NATIVE=0, no
 * compiler, a compile error or timeout, a result that differs from the tape) the surface simply
 * keeps evaluating the tape, with the reason in expr_native.info.
 *
 * Same numbers as the tape. Every statement does the tape's arithmetic in the tape's order;
 * constants are written as hexadecimal literals (exact); the compiler runs without -ffast-math and
 * with -ffp-contract=off (no fused multiply-adds), so it may only make exact rewrites (x·1 = x,
 * folding two literals) and keeps everything that can turn a NaN or an infinity into another
 * result (x·0, x + 0). Where the compiler could compute a value differently from the C library it
 * is kept from doing so: log of a constant base in u^v is computed here and written as a literal,
 * and -fno-builtin-pow stops pow(u, c) from being rewritten (pow(u, -1) as 1/u). After loading, the
 * function is checked against the tape at the caller's points before it is used.
 *
 * Cache: $XDG_CACHE_HOME/gdlab or ~/.cache/gdlab (a private directory: created 0700, used only if
 * it is ours, writable by nobody else, and every folder above it passes loader.h's trust rule), one
 * object expr-KEY.so per generated source, where KEY is the SHA-256 (OpenSSL) of the source, the
 * compiler and its flags, so the same formula compiles once per machine. Beside it expr-KEY.sha256
 * holds the whole key and the SHA-256 of the object's bytes. A cached object is loaded (through
 * loader.h, never following a symbolic link) only when the key in that file is this formula's and the
 * bytes of the open file hash to the digest there, both checked before dlopen; the key compiled into
 * the object is checked again after. Anything else (a flipped byte, a truncated file, an entry renamed
 * from another formula, a link) is refused, and the formula compiled again over it.
 * The compiler works in a fresh mkdtemp directory and the result is renamed into place, so
 * concurrent processes never see half a file; the work directory is always removed. Without a
 * usable cache directory the object is built in a temporary directory, loaded, and deleted at once.
 *
 * Environment: GDLAB_NATIVE=0 (or off, no, false) turns it off; GDLAB_CC names the compiler
 * (default cc, on PATH); GDLAB_CC_TIMEOUT the seconds a compile may take (default 20). */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../cleanup.h"
#include "../loader.h"
#include "expr_internal.h"

extern char **environ;

/* Above this many generated statements (instructions × (1 + dim)) the compile time grows past
 * what a formula is worth: such formulas stay on the tape. */
enum { MAX_STATEMENTS = 20000 };

#define NATIVE_FN "gdlab_native_eval"
#define NATIVE_KEY "gdlab_native_key"
/* The compiler's flags; part of the hash, so changing them recompiles. */
static const char *const cc_flags[] = {"-std=c99", "-O2", "-fPIC", "-shared", "-ffp-contract=off", "-fno-fast-math",
                                       "-fno-math-errno", "-fno-builtin-pow", "-w"};
enum { N_FLAGS = sizeof cc_flags / sizeof cc_flags[0] };

/* snprintf for messages and names, where cutting a long path short is fine. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void text(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static void set_info(expr_native *nat, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(nat->info, sizeof nat->info, fmt, ap);
    va_end(ap);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the C source -------------------------------------------------------------------------- */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        const int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? 2 * b->cap : 65536;
        while (cap <= b->len + (size_t)n) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p, b->cap = cap;
    }
}

/* An operand as C text: a name, or an exact literal. */
typedef struct operand {
    char s[48];
} operand;

static operand literal(double c)
{
    operand o;
    if (isnan(c)) text(o.s, sizeof o.s, "NAN");
    else if (isinf(c)) text(o.s, sizeof o.s, c > 0 ? "HUGE_VAL" : "(-HUGE_VAL)");
    else text(o.s, sizeof o.s, "(%a)", c);
    return o;
}

static int is_const_slot(const gdlab_expr *e, uint32_t slot)
{
    return slot >= e->dim && slot < e->dim + e->n_consts;
}

static operand value_of(const gdlab_expr *e, uint32_t slot)
{
    if (is_const_slot(e, slot)) return literal(e->consts[slot - e->dim]);
    operand o;
    text(o.s, sizeof o.s, "v%u", (unsigned)slot);
    return o;
}

/* Derivative i of a slot: variables carry unit vectors and constants zeros, as on the tape. */
static operand derivative_of(const gdlab_expr *e, uint32_t slot, size_t i)
{
    operand o;
    if (slot < e->dim) text(o.s, sizeof o.s, "%s", slot == i ? "1.0" : "0.0");
    else if (is_const_slot(e, slot)) text(o.s, sizeof o.s, "0.0");
    else text(o.s, sizeof o.s, "d%u_%zu", (unsigned)slot, i);
    return o;
}

/* One instruction, writing slot w: its value v<w> and derivatives d<w>_i, with exactly the
 * operations of eval.c (see the rules in hyperdual.h). Returns -1 for an unknown op. */
static int emit_instruction(sbuf *b, const gdlab_expr *e, const expr_instr *in, uint32_t w)
{
    const size_t n = e->dim;
    const operand U = value_of(e, in->a), V = value_of(e, in->b), C = literal(in->c);
    const unsigned k = (unsigned)w;
#define DERIVATIVES(...)                                                                           \
    for (size_t i = 0; i < n; i++) {                                                               \
        const operand DU = derivative_of(e, in->a, i), DV = derivative_of(e, in->b, i);            \
        (void)DU, (void)DV;                                                                        \
        sb_printf(b, "  const double d%u_%zu = ", k, i);                                           \
        sb_printf(b, __VA_ARGS__);                                                                 \
        sb_printf(b, ";\n");                                                                       \
    }
    switch (in->op) {
    case OP_ADD:
        sb_printf(b, "  const double v%u = %s + %s;\n", k, U.s, V.s);
        DERIVATIVES("%s + %s", DU.s, DV.s)
        return 0;
    case OP_SUB:
        sb_printf(b, "  const double v%u = %s - %s;\n", k, U.s, V.s);
        DERIVATIVES("%s - %s", DU.s, DV.s)
        return 0;
    case OP_MUL: /* v·du + u·dv */
        sb_printf(b, "  const double v%u = %s * %s;\n", k, U.s, V.s);
        DERIVATIVES("%s * %s + %s * %s", V.s, DU.s, U.s, DV.s)
        return 0;
    case OP_DIV: /* (du − w·dv)·(1/v) */
        sb_printf(b, "  const double v%u = %s / %s;\n  const double r%u = 1.0 / %s;\n", k, U.s, V.s, k, V.s);
        DERIVATIVES("(%s - v%u * %s) * r%u", DU.s, k, DV.s, k)
        return 0;
    case OP_POW: { /* w·(log u·dv + v·(1/u)·du); log of a constant u computed here, by the C library */
        operand L;
        if (is_const_slot(e, in->a)) L = literal(log(e->consts[in->a - e->dim]));
        else text(L.s, sizeof L.s, "log(%s)", U.s);
        sb_printf(b, "  const double v%u = pow(%s, %s);\n  const double l%u = %s, r%u = 1.0 / %s;\n", k, U.s, V.s,
                  k, L.s, k, U.s);
        DERIVATIVES("v%u * (l%u * %s + %s * r%u * %s)", k, k, DV.s, V.s, k, DU.s)
        return 0;
    }
    case OP_MIN:
    case OP_MAX: /* the second argument when it is smaller (larger) or NaN; its derivatives with it */
        sb_printf(b, "  const int t%u = %s %s %s || %s != %s;\n  const double v%u = t%u ? %s : %s;\n", k, V.s,
                  in->op == OP_MIN ? "<" : ">", U.s, V.s, V.s, k, k, V.s, U.s);
        DERIVATIVES("t%u ? %s : %s", k, DV.s, DU.s)
        return 0;
    case OP_ADDC:
        sb_printf(b, "  const double v%u = %s + %s;\n", k, U.s, C.s);
        DERIVATIVES("%s", DU.s)
        return 0;
    case OP_RSUBC:
        sb_printf(b, "  const double v%u = %s - %s;\n", k, C.s, U.s);
        DERIVATIVES("-%s", DU.s)
        return 0;
    case OP_MULC:
        sb_printf(b, "  const double v%u = %s * %s;\n", k, U.s, C.s);
        DERIVATIVES("%s * %s", C.s, DU.s)
        return 0;
    case OP_DIVC:
        sb_printf(b, "  const double v%u = %s / %s;\n", k, U.s, C.s);
        DERIVATIVES("%s * %s", literal(1.0 / in->c).s, DU.s)
        return 0;
    case OP_RDIVC:
        sb_printf(b, "  const double v%u = %s / %s;\n  const double g%u = -(%s / %s) / %s;\n", k, C.s, U.s, k, C.s,
                  U.s, U.s);
        break;
    case OP_UNARY + HD_NEG:
        sb_printf(b, "  const double v%u = -%s;\n", k, U.s);
        DERIVATIVES("-%s", DU.s)
        return 0;
    case OP_UNARY + HD_SQR:
        sb_printf(b, "  const double v%u = %s * %s;\n  const double g%u = 2.0 * %s;\n", k, U.s, U.s, k, U.s);
        break;
    case OP_UNARY + HD_POWI: { /* hd_powi(u, c − 2) by repeated squaring, step by step */
        sb_printf(b, "  double q%u = 1.0, p%u = %s;\n", k, k, U.s);
        for (unsigned m = (unsigned)in->c - 2u; m; m >>= 1) {
            if (m & 1u) sb_printf(b, "  q%u = q%u * p%u;\n", k, k, k);
            if (m >> 1) sb_printf(b, "  p%u = p%u * p%u;\n", k, k, k);
        }
        sb_printf(b, "  const double v%u = q%u * %s * %s;\n  const double g%u = %s * q%u * %s;\n", k, k, U.s, U.s, k,
                  C.s, k, U.s);
        break;
    }
    case OP_UNARY + HD_POWC:
        sb_printf(b, "  const double v%u = pow(%s, %s);\n  const double g%u = %s * pow(%s, %s);\n", k, U.s, C.s, k,
                  C.s, U.s, literal(in->c - 1.0).s);
        break;
    case OP_UNARY + HD_SQRT:
        sb_printf(b, "  const double v%u = sqrt(%s);\n  const double g%u = 0.5 / v%u;\n", k, U.s, k, k);
        break;
    case OP_UNARY + HD_EXP:
        sb_printf(b, "  const double v%u = exp(%s);\n  const double g%u = v%u;\n", k, U.s, k, k);
        break;
    case OP_UNARY + HD_LOG:
        sb_printf(b, "  const double v%u = log(%s);\n  const double g%u = %s < 0.0 ? NAN : 1.0 / %s;\n", k, U.s, k,
                  U.s, U.s);
        break;
    case OP_UNARY + HD_SIN:
        sb_printf(b, "  const double v%u = sin(%s);\n  const double g%u = cos(%s);\n", k, U.s, k, U.s);
        break;
    case OP_UNARY + HD_COS:
        sb_printf(b, "  const double v%u = cos(%s);\n  const double g%u = -sin(%s);\n", k, U.s, k, U.s);
        break;
    case OP_UNARY + HD_TAN:
        sb_printf(b, "  const double v%u = tan(%s);\n  const double g%u = 1.0 + v%u * v%u;\n", k, U.s, k, k, k);
        break;
    case OP_UNARY + HD_TANH:
        sb_printf(b, "  const double v%u = tanh(%s);\n  const double g%u = 1.0 - v%u * v%u;\n", k, U.s, k, k, k);
        break;
    case OP_UNARY + HD_ABS:
        sb_printf(b, "  const double v%u = fabs(%s);\n  const double g%u = %s > 0.0 ? 1.0 : %s < 0.0 ? -1.0 : 0.0;\n",
                  k, U.s, k, U.s, U.s);
        break;
    default: return -1;
    }
    DERIVATIVES("g%u * %s", k, DU.s) /* the one-argument rule: dw = g'(u)·du */
#undef DERIVATIVES
    return 0;
}

/* The function body (everything the key line does not cover). */
static int emit_body(sbuf *b, const gdlab_expr *e)
{
    const size_t base = e->dim + e->n_consts;
    sb_printf(b, "double " NATIVE_FN "(const double *x, double *g)\n{\n");
    for (size_t i = 0; i < e->dim; i++) sb_printf(b, "  const double v%zu = x[%zu];\n", i, i);
    for (size_t k = 0; k < e->n_code; k++)
        if (emit_instruction(b, e, &e->code[k], (uint32_t)(base + k))) return -1;
    sb_printf(b, "  if (g) {\n");
    for (size_t i = 0; i < e->dim; i++) sb_printf(b, "    g[%zu] = %s;\n", i, derivative_of(e, e->result, i).s);
    sb_printf(b, "  }\n  return %s;\n}\n", value_of(e, e->result).s);
    return b->failed ? -1 : 0;
}

/* ---- hashing (SHA-256, OpenSSL's EVP interface) ------------------------------------------------- */
/* SHA-256 of the pieces given as (pointer, length) pairs, count of them; 0 or -1. */
static int sha256_of(unsigned char digest[32], const void *const *data, const size_t *len, size_t count)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (size_t i = 0; ok && i < count; i++) ok = EVP_DigestUpdate(ctx, data[i], len[i]);
    unsigned n = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, digest, &n) && n == 32;
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

/* SHA-256 of a whole open file, read from its start; 0 or -1 with the reason. */
static int sha256_of_file(int fd, unsigned char digest[32], char *why, size_t whylen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char chunk[65536];
    off_t at = 0;
    for (ssize_t got; ok && (got = pread(fd, chunk, sizeof chunk, at)) != 0; at += got) {
        if (got < 0 && errno == EINTR) got = 0;
        else if (got < 0) {
            text(why, whylen, "reading it: %s", strerror(errno));
            EVP_MD_CTX_free(ctx);
            return -1;
        }
        ok = EVP_DigestUpdate(ctx, chunk, (size_t)got);
    }
    unsigned n = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, digest, &n) && n == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok) text(why, whylen, "SHA-256 failed (OpenSSL)");
    return ok ? 0 : -1;
}

static void hex(const unsigned char *bytes, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

/* ---- the cache directory ------------------------------------------------------------------- */
/* Is path a directory of ours that nobody else can write, below folders that pass the trust rule? */
static int private_dir(const char *path, char *why, size_t whylen)
{
    struct stat st;
    char canonical[4096];
    if (lstat(path, &st) != 0) {
        text(why, whylen, "%s: %s", path, strerror(errno));
        return 0;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
        text(why, whylen, "%s is not a private directory of this user (%s, owner uid %u, mode %04o); fix: "
             "chmod 700 it if it is yours, or remove it", path, S_ISDIR(st.st_mode) ? "a folder" : "not a folder",
             (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
        return 0;
    }
    if (!realpath(path, canonical)) {
        text(why, whylen, "%s: %s", path, strerror(errno));
        return 0;
    }
    return gdlab_trust_path(canonical, why, whylen) == 0;
}

/* The cache directory into dir; 0, or -1 with the reason. */
static int cache_dir(char *dir, size_t dirlen, char *why, size_t whylen)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char parent[4096];
    if (xdg && xdg[0] == '/') text(parent, sizeof parent, "%s", xdg); /* relative ones are ignored (XDG) */
    else if (home && home[0] == '/') text(parent, sizeof parent, "%s/.cache", home);
    else {
        text(why, whylen, "neither XDG_CACHE_HOME nor HOME is set");
        return -1;
    }
    if ((size_t)snprintf(dir, dirlen, "%s/gdlab", parent) >= dirlen - 80) { /* room for an entry's name */
        text(why, whylen, "the cache path is too long");
        return -1;
    }
    mkdir(parent, 0700); /* both may exist already; private_dir judges the result */
    mkdir(dir, 0700);
    return private_dir(dir, why, whylen) ? 0 : -1;
}

/* Remove a work directory and whatever is in it (the compiler writes only there). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        const struct dirent *ent;
        char path[4200];
        while ((ent = readdir(d)))
            if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..")) {
                text(path, sizeof path, "%s/%s", dir, ent->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

/* ---- running the compiler ------------------------------------------------------------------ */
/* Run cc on src, writing out, within timeout seconds, with its temporary files in work (so that
 * even a compiler killed for taking too long leaves none elsewhere). While it runs, its process
 * group is in the signal handler's table at slot (cleanup.h): gdlab interrupted kills it. 0, or -1
 * with the reason. */
static int run_compiler(const char *cc, const char *src, const char *out, const char *work, int slot,
                        double timeout, char *why, size_t whylen)
{
    const char *argv[N_FLAGS + 6];
    size_t argc = 0;
    argv[argc++] = cc;
    for (size_t i = 0; i < N_FLAGS; i++) argv[argc++] = cc_flags[i];
    argv[argc++] = src, argv[argc++] = "-o", argv[argc++] = out, argv[argc++] = "-lm", argv[argc] = NULL;

    int fds[2];
    if (pipe(fds) != 0) {
        text(why, whylen, "pipe: %s", strerror(errno));
        return -1;
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawnattr_init(&at);
    /* its own process group, so that a timeout can stop the compiler and everything it started */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    const int reset[] = {SIGPIPE, SIGCHLD, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGXFSZ};
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++) sigaddset(&defaults, reset[i]);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &defaults);
    /* the environment, with TMPDIR pointing into the work directory */
    size_t n_env = 0;
    while (environ && environ[n_env]) n_env++;
    char **envp = malloc((n_env + 2) * sizeof *envp), tmpdir[4200];
    int rc = ENOMEM;
    pid_t pid;
    if (envp) {
        size_t k = 0;
        for (size_t i = 0; i < n_env; i++)
            if (strncmp(environ[i], "TMPDIR=", 7) != 0) envp[k++] = environ[i];
        text(tmpdir, sizeof tmpdir, "TMPDIR=%s", work);
        envp[k++] = tmpdir, envp[k] = NULL;
        sigset_t old; /* no signal between starting the compiler and entering it in the table */
        cleanup_block(&old);
        rc = posix_spawnp(&pid, cc, &fa, &at, (char *const *)argv, envp);
        if (rc == 0) cleanup_set_child(slot, pid);
        cleanup_restore(&old);
        free(envp);
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        text(why, whylen, "cannot run the C compiler '%s': %s%s", cc, strerror(rc),
             rc == ENOENT ? " (install one, or name it in GDLAB_CC)" : "");
        return -1;
    }

    /* collect its messages (the first line goes into the reason) until it exits or time runs out */
    char msg[512];
    size_t msglen = 0;
    int rfd = fds[0], status = 0, exited = 0;
    const double deadline = now() + timeout;
    while (!exited) {
        const double left = deadline - now();
        if (left <= 0.0) break;
        if (rfd >= 0) {
            struct pollfd p = {rfd, POLLIN, 0};
            const int ms = left > 0.05 ? 50 : (int)(left * 1000.0) + 1;
            if (poll(&p, 1, ms) > 0) {
                char chunk[256];
                const ssize_t got = read(rfd, chunk, sizeof chunk);
                if (got > 0) {
                    const size_t take = (size_t)got < sizeof msg - 1 - msglen ? (size_t)got : sizeof msg - 1 - msglen;
                    memcpy(msg + msglen, chunk, take);
                    msglen += take;
                } else if (got == 0 || errno != EINTR) {
                    close(rfd);
                    rfd = -1;
                }
            }
        } else {
            nanosleep(&(struct timespec){0, 1000000}, NULL);
        }
        /* look without reaping: the handler's table must forget the pid before it can be reused */
        siginfo_t info;
        info.si_pid = 0;
        const int r = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT);
        if (r == 0 && info.si_pid == pid) exited = 1;
        else if (r < 0 && errno != EINTR) {
            text(why, whylen, "waiting for the C compiler '%s': %s", cc, strerror(errno));
            if (rfd >= 0) close(rfd);
            cleanup_set_child(slot, 0);
            return -1;
        }
    }
    if (rfd >= 0) close(rfd);
    if (!exited) kill(-pid, SIGKILL);
    cleanup_set_child(slot, 0);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!exited) {
        text(why, whylen, "the C compiler '%s' took more than %g s (GDLAB_CC_TIMEOUT)", cc, timeout);
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    msg[msglen] = '\0';
    msg[strcspn(msg, "\n")] = '\0';
    char what[64];
    if (WIFEXITED(status)) text(what, sizeof what, "exit status %d", WEXITSTATUS(status));
    else text(what, sizeof what, "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    text(why, whylen, "the C compiler '%s' failed (%s)%s%s", cc, what, msglen ? ": " : "", msg);
    return -1;
}

/* ---- loading and checking ------------------------------------------------------------------ */
/* What the content of an object must hash to before it is loaded (NULL: anything), and its hash. */
typedef struct content_check {
    const unsigned char *expected;
    unsigned char *digest;
} content_check;

static int check_content(int fd, void *ctx, char *why, size_t whylen)
{
    content_check *c = ctx;
    if (sha256_of_file(fd, c->digest, why, whylen)) return -1;
    if (c->expected && memcmp(c->expected, c->digest, 32) != 0) {
        text(why, whylen, "its content does not match the SHA-256 recorded when it was compiled (it was changed "
             "or damaged since)");
        return -1;
    }
    return 0;
}

/* Load an object under the loading policy, checking its bytes against expected (NULL: no check) and
 * its compiled-in key after loading. 0, or -1 with the reason. */
static int load_checked(expr_native *nat, const char *path, const unsigned char *expected, const char *key, char *why,
                        size_t whylen)
{
    char canonical[4096], err[512];
    content_check check = {expected, nat->sha256};
    if (gdlab_code_resolve(path, GDLAB_CODE_NO_SYMLINK, canonical, err, sizeof err) ||
        gdlab_code_load(canonical, check_content, &check, &nat->code, err, sizeof err)) {
        text(why, whylen, "%s: %s", path, err);
        return -1;
    }
    const char *k = dlsym(nat->code.handle, NATIVE_KEY);
    void *f = dlsym(nat->code.handle, NATIVE_FN);
    if (!k || !f || strcmp(k, key) != 0) {
        gdlab_code_unload(&nat->code);
        text(why, whylen, "%s: not the object of this formula (symbol %s)", path, !f ? NATIVE_FN : NATIVE_KEY);
        return -1;
    }
    nat->fn = (expr_native_fn)f;
    return 0;
}

/* A freshly compiled object: made private first (the compiler gives it the mode the umask allows,
 * which may let the group write it, and the loading policy would refuse it), then loaded with its
 * hash taken (into nat->sha256) for the cache record. */
static int load(expr_native *nat, const char *path, const char *key, char *why, size_t whylen)
{
    if (chmod(path, 0700) != 0) {
        text(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return load_checked(nat, path, NULL, key, why, whylen);
}

/* The record beside a cache entry: "KEY SHA256\n", both in hex. */
static void record_path(const char *object, char *out, size_t len)
{
    text(out, len, "%.*s.sha256", (int)(strlen(object) - 3), object); /* expr-KEY.so -> expr-KEY.sha256 */
}

/* Load a cache entry whose record names this key, with its bytes checked against the record. */
static int load_cached(expr_native *nat, const char *object, const char *key, char *why, size_t whylen)
{
    char record[4200], line[160], want_key[65], want_hex[65];
    record_path(object, record, sizeof record);
    const int fd = open(record, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    ssize_t got = -1;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) got = read(fd, line, sizeof line - 1);
    if (fd >= 0) close(fd);
    if (got <= 0) {
        text(why, whylen, "%s: %s", record, fd < 0 ? strerror(errno) : "not a readable regular file");
        return -1;
    }
    line[got] = '\0';
    unsigned char expected[32];
    if (sscanf(line, "%64[0-9a-f] %64[0-9a-f]", want_key, want_hex) != 2 || strlen(want_hex) != 64) {
        text(why, whylen, "%s: not a cache record", record);
        return -1;
    }
    if (strcmp(want_key, key) != 0) {
        text(why, whylen, "%s belongs to another formula (key %.16s..., this one %.16s...)", record, want_key, key);
        return -1;
    }
    for (size_t i = 0; i < 32; i++) {
        unsigned byte;
        sscanf(want_hex + 2 * i, "%2x", &byte);
        expected[i] = (unsigned char)byte;
    }
    return load_checked(nat, object, expected, key, why, whylen);
}

/* Write the record of a cache entry just renamed into place: a temporary file in the cache, renamed
 * over the old record. A process that reads in between sees no or an old record and compiles again. */
static void write_record(const char *object, const char *key, const unsigned char digest[32])
{
    char record[4200], tmp[4300], line[160], digest_hex[65];
    record_path(object, record, sizeof record);
    text(tmp, sizeof tmp, "%s.XXXXXX", record);
    hex(digest, 32, digest_hex);
    const int n = snprintf(line, sizeof line, "%s %s\n", key, digest_hex);
    const int fd = mkstemp(tmp);
    if (fd < 0) return; /* no record: the entry is compiled again next time */
    const int ok = write(fd, line, (size_t)n) == n;
    if (close(fd) != 0 || !ok || rename(tmp, record) != 0) unlink(tmp);
}

/* a and b agree: the same NaNs and infinities, finite values within 1e-14 of the scale. */
static int agree(double a, double b, double scale)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b)) return a == b;
    return fabs(a - b) <= 1e-14 * scale;
}

/* Compare the native function with the tape at the points; 0, or -1 with the first difference. */
static int verify(const expr_native *nat, const gdlab_expr *e, const double *points, size_t n_points, char *why,
                  size_t whylen)
{
    const size_t n = e->dim;
    double gt[100], gn[100];
    for (size_t p = 0; p < n_points; p++) {
        const double *x = points + p * n;
        const double ft = gdlab_expr_eval(e, x, gt, NULL), fn = nat->fn(x, gn), vn = nat->fn(x, NULL);
        double scale = 0.0;
        for (size_t i = 0; i < n; i++)
            if (isfinite(gt[i])) scale = fmax(scale, fabs(gt[i]));
        int ok = agree(fn, ft, fabs(ft)) && agree(vn, ft, fabs(ft));
        size_t bad = n;
        for (size_t i = 0; ok && i < n; i++)
            if (!agree(gn[i], gt[i], scale)) ok = 0, bad = i;
        if (!ok) {
            if (bad < n)
                text(why, whylen, "the native code differs from the tape at point %zu: df/d%s %.17g, tape %.17g",
                     p + 1, e->vars[bad], gn[bad], gt[bad]);
            else text(why, whylen, "the native code differs from the tape at point %zu: f %.17g, tape %.17g", p + 1,
                      fn, ft);
            return -1;
        }
    }
    return 0;
}

/* ---- the whole build ----------------------------------------------------------------------- */
/* Compile source in a work directory under parent, load and verify it, and move it to final (the
 * cache) when final is not NULL. 0; -2 when parent cannot hold the work directory; -1 when
 * compiling, loading or checking failed; with the reason. */
static int build_in(expr_native *nat, const gdlab_expr *e, const char *parent, const char *final, const sbuf *src,
                    const char *key, const double *points, size_t n_points, double *ms, char *why, size_t whylen)
{
    const char *cc = getenv("GDLAB_CC");
    if (!cc || !*cc) cc = "cc";
    const char *t = getenv("GDLAB_CC_TIMEOUT");
    double timeout = t && *t ? strtod(t, NULL) : 20.0;
    if (!(timeout > 0.0 && timeout <= 3600.0)) timeout = 20.0;

    char work[4096], c_path[4200], so_path[4200];
    sigset_t old; /* no signal between making the work directory and entering it in the table */
    cleanup_block(&old);
    const int fits = (size_t)snprintf(work, sizeof work, "%s/tmp-XXXXXX", parent) < sizeof work;
    const int made = fits && mkdtemp(work);
    const int saved = fits ? errno : ENAMETOOLONG, slot = made ? cleanup_add_work(work) : -1;
    cleanup_restore(&old);
    if (!made) {
        text(why, whylen, "cannot make a work directory in %s: %s", parent, strerror(saved));
        return -2;
    }
    text(c_path, sizeof c_path, "%s/expr.c", work);
    text(so_path, sizeof so_path, "%s/expr.so", work);
    FILE *f = fopen(c_path, "w");
    int r = -1;
    const int written = f && fwrite(src->p, 1, src->len, f) == src->len;
    if (!f || fclose(f) != 0 || !written) { /* a full or read-only disk: like no directory at all */
        text(why, whylen, "cannot write %s: %s", c_path, strerror(errno));
        r = -2;
        goto done;
    }
    const double t0 = now();
    if (run_compiler(cc, c_path, so_path, work, slot, timeout, why, whylen)) goto done;
    *ms = 1e3 * (now() - t0);
    if (load(nat, so_path, key, why, whylen)) goto done;
    if (verify(nat, e, points, n_points, why, whylen)) {
        expr_native_release(nat);
        goto done;
    }
    /* only checked code enters the cache, whole (rename is atomic); the loaded mapping stays valid */
    if (final && rename(so_path, final) != 0) {
        text(why, whylen, "cannot move the compiled code to %s: %s", final, strerror(errno));
        expr_native_release(nat);
        goto done;
    }
    r = 0;
done:
    remove_dir(work);
    cleanup_remove_work(slot);
    return r;
}

void expr_native_build(expr_native *nat, const gdlab_expr *e, const double *points, size_t n_points)
{
    nat->fn = NULL;
    nat->code = (gdlab_code){NULL, -1};
    const char *off = getenv("GDLAB_NATIVE");
    if (off && (!strcmp(off, "0") || !strcmp(off, "off") || !strcmp(off, "no") || !strcmp(off, "false"))) {
        set_info(nat, "tape: GDLAB_NATIVE=%s", off);
        return;
    }
    if (e->dim > 100) { /* the parser's limit; verify's buffers */
        set_info(nat, "tape: more than 100 variables");
        return;
    }
    if (e->n_code * (e->dim + 1) > MAX_STATEMENTS) {
        set_info(nat, "tape: the formula is too long for native code (%zu instructions, %zu variables)", e->n_code,
                 e->dim);
        return;
    }
    sbuf body = {0}, src = {0};
    if (emit_body(&body, e)) {
        free(body.p);
        set_info(nat, "tape: %s", body.failed ? "out of memory writing the native code" : "an unknown instruction");
        return;
    }
    /* the key covers the body, the compiler's name and flags, and the machine's word size */
    const char *cc = getenv("GDLAB_CC");
    if (!cc || !*cc) cc = "cc";
    const unsigned word = (unsigned)sizeof(void *);
    const void *parts[N_FLAGS + 3] = {body.p, cc, &word};
    size_t lens[N_FLAGS + 3] = {body.len, strlen(cc) + 1, sizeof word};
    for (size_t i = 0; i < N_FLAGS; i++) parts[3 + i] = cc_flags[i], lens[3 + i] = strlen(cc_flags[i]) + 1;
    unsigned char digest[32];
    char key[65];
    if (sha256_of(digest, parts, lens, N_FLAGS + 3)) {
        free(body.p);
        set_info(nat, "tape: SHA-256 failed (OpenSSL)");
        return;
    }
    hex(digest, 32, key);
    sb_printf(&src, "/* gdlab formula: value and gradient, generated by core/engine/expr/native.c */\n#include <math.h>\n"
                    "const char " NATIVE_KEY "[] = \"%s\";\n%s", key, body.p);
    free(body.p);
    if (src.failed) {
        free(src.p);
        set_info(nat, "tape: out of memory writing the native code");
        return;
    }

    char dir[4096], final[4200], why[512] = "", no_cache[512] = "";
    double ms = 0.0;
    if (cache_dir(dir, sizeof dir, no_cache, sizeof no_cache) == 0) {
        text(final, sizeof final, "%s/expr-%.32s.so", dir, key);
        char refused[600] = "";
        struct stat st;
        if (lstat(final, &st) == 0) { /* compiled before: load it, or rebuild it if it is not right */
            if (load_cached(nat, final, key, why, sizeof why) == 0 &&
                verify(nat, e, points, n_points, why, sizeof why) == 0) {
                set_info(nat, "native: %s (from the cache)", final);
                free(src.p);
                return;
            }
            expr_native_release(nat);
            text(refused, sizeof refused, "; the cached copy was refused: %s", why);
        }
        const int r = build_in(nat, e, dir, final, &src, key, points, n_points, &ms, why, sizeof why);
        if (r != -2) {
            if (r == 0) {
                write_record(final, key, nat->sha256);
                set_info(nat, "native: %s (compiled in %.0f ms%s)", final, ms, refused);
            } else set_info(nat, "tape: %s", why);
            free(src.p);
            return;
        }
        text(no_cache, sizeof no_cache, "%s", why);
    }
    /* no usable cache: compile in a temporary directory and keep nothing */
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/') tmp = "/tmp";
    if (build_in(nat, e, tmp, NULL, &src, key, points, n_points, &ms, why, sizeof why) == 0)
        set_info(nat, "native: compiled in %.0f ms, not cached (%s)", ms, no_cache);
    else set_info(nat, "tape: %s", why);
    free(src.p);
}

void expr_native_release(expr_native *nat)
{
    gdlab_code_unload(&nat->code);
    nat->fn = NULL;
}
