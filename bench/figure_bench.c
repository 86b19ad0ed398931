/* SPDX-License-Identifier: MIT */
/* figure_bench — gdlab's figures against matplotlib on the same picture: a filled contour map of a
 * 500 x 500 grid with three 300-step trajectories (lines and markers) and a colour bar, written as
 * an 800 x 600 PNG. Prints the times and the ratios, both whole-process (start the program, draw,
 * write, exit) and in-process (draw and write only, imports and start-up excluded).
 *
 *   bench_figure [out_dir]           runs both sides (needs /usr/bin/python3 with matplotlib)
 *   bench_figure --once file.png     draws once and exits (what the whole-process timing runs)
 *
 * The matplotlib side is bench/figure_bench_mpl.py: the same field, levels, paths and sizes. */
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gdlab/figure.h"

#define N 500
#define STEPS 300
#define REPEAT 5

extern char **environ;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* The seeds' ravine 0.05·x² + 5·y² on [−5, 5] x [−2.2, 2.2]. */
static double ravine(double x, double y)
{
    return 0.05 * x * x + 5.0 * y * y;
}

/* Three heavy-ball runs from (−4, 1.5): GD and momentum 0.9 and 0.99 (EMA form), lr 0.18. */
static void trajectories(double xs[3][STEPS + 1], double ys[3][STEPS + 1])
{
    const double beta[3] = {0.0, 0.9, 0.99};
    for (int r = 0; r < 3; r++) {
        double x = -4, y = 1.5, vx = 0, vy = 0;
        for (int k = 0; k <= STEPS; k++) {
            xs[r][k] = x, ys[r][k] = y;
            const double gx = 0.1 * x, gy = 10.0 * y;
            vx = beta[r] * vx + (1 - beta[r]) * gx, vy = beta[r] * vy + (1 - beta[r]) * gy;
            x -= 0.18 * vx, y -= 0.18 * vy;
        }
    }
}

static int draw(const char *path)
{
    static double z[N * N], xs[3][STEPS + 1], ys[3][STEPS + 1];
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) z[j * N + i] = ravine(-5 + 10.0 * i / (N - 1), -2.2 + 4.4 * j / (N - 1));
    trajectories(xs, ys);
    char err[512];
    gdlab_figure_config cfg = {.device = "pngcairo", .path = path, .width = 800, .height = 600};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    if (!fig) {
        fprintf(stderr, "bench_figure: %s\n", err);
        return -1;
    }
    gdlab_axes a;
    gdlab_axes_defaults(&a);
    a.title = "Ravine: GD and momentum";
    a.xlabel = "θ₁", a.ylabel = "θ₂";
    const gdlab_field f = {NULL, NULL, z, N, N, -5, 5, -2.2, 2.2};
    gdlab_contour_style st;
    gdlab_contour_style_defaults(&st);
    st.filled = 1, st.lines = 0, st.colorbar = 1, st.levels.n = 20;
    gdlab_series s[3];
    const gdlab_rgba colors[3] = {{0xE0, 0x5C, 0x4B, 1}, {0x3A, 0x7C, 0xA5, 1}, {0xF4, 0xA5, 0x36, 1}};
    const char *labels[3] = {"GD", "momentum 0.9", "momentum 0.99"};
    for (int r = 0; r < 3; r++)
        s[r] = (gdlab_series){xs[r], ys[r], STEPS + 1, labels[r], colors[r], 1.5, 0, GDLAB_MARKER_CIRCLE, 3.0, 0, NULL, 0};
    const int rc = gdlab_figure_contour(fig, &a, &f, &st, s, 3, NULL, 0, NULL, 0, err, sizeof err);
    if (rc) fprintf(stderr, "bench_figure: %s\n", err);
    if (gdlab_figure_close(fig, err, sizeof err)) {
        fprintf(stderr, "bench_figure: %s\n", err);
        return -1;
    }
    return rc;
}

/* Run argv to completion; its wall-clock time, or -1. */
static double run_process(char *const argv[], char *out, size_t outlen)
{
    int pipefd[2];
    if (pipe(pipefd)) return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    const double t0 = now();
    pid_t pid;
    const int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    size_t got = 0;
    ssize_t k;
    while (err == 0 && (k = read(pipefd[0], out + got, outlen - 1 - got)) > 0) got += (size_t)k;
    out[got] = '\0';
    close(pipefd[0]);
    int status = 0;
    if (err || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    return now() - t0;
}

static int cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--once") == 0) return draw(argv[2]) ? 1 : 0;
    const char *dir = argc > 1 ? argv[1] : ".";
    char png[1024], mpl_png[1024], out[256];
    snprintf(png, sizeof png, "%s/bench_gdlab.png", dir);
    snprintf(mpl_png, sizeof mpl_png, "%s/bench_matplotlib.png", dir);

    double in[REPEAT], whole[REPEAT], mpl_in[REPEAT], mpl_whole[REPEAT];
    for (int i = 0; i < REPEAT; i++) {
        const double t0 = now();
        if (draw(png)) return 1;
        in[i] = now() - t0;
        char *self[] = {argv[0], "--once", png, NULL};
        if ((whole[i] = run_process(self, out, sizeof out)) < 0) {
            fprintf(stderr, "bench_figure: %s --once failed\n", argv[0]);
            return 1;
        }
        char *mpl[] = {"/usr/bin/python3", GDLAB_BENCH_MPL_SCRIPT, mpl_png, NULL};
        if ((mpl_whole[i] = run_process(mpl, out, sizeof out)) < 0 || sscanf(out, "%lf", &mpl_in[i]) != 1) {
            fprintf(stderr, "bench_figure: matplotlib side failed (is python3-matplotlib installed?)\n");
            return 1;
        }
    }
    const double a = median(in, REPEAT), b = median(whole, REPEAT), c = median(mpl_in, REPEAT),
                 d = median(mpl_whole, REPEAT);
    printf("filled contour 500x500 + 3 x 300-step paths + colour bar, 800x600 PNG (median of %d)\n", REPEAT);
    printf("%-15s %12s %12s\n", "", "in-process", "whole");
    printf("%-15s %10.1f ms %10.1f ms\n", "gdlab", a * 1e3, b * 1e3);
    printf("%-15s %10.1f ms %10.1f ms\n", "matplotlib", c * 1e3, d * 1e3);
    printf("%-15s %11.2fx %11.2fx\n", "speed-up", c / a, d / b);
    printf("targets: whole-process >= 3x: %s; in-process >= 1x: %s\n", d / b >= 3 ? "met" : "MISSED",
           c / a >= 1 ? "met" : "MISSED");
    return d / b >= 3 && c / a >= 1 ? 0 : 2;
}
