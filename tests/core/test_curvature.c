/* SPDX-License-Identifier: MIT */
/* Curvature along the path: the Hessian's extreme eigenvalues at every point of a run. */
#include <stdlib.h>

#include "../../core/engine/eigen.h"
#include "check.h"
#include "gdlab/gdlab.h"

static char err[4096];

static void jacobi_eigenvalues_keep_trace_and_frobenius_norm(void)
{
    /* a known matrix: eigenvalues of [[2, -1, 0], [-1, 2, -1], [0, -1, 2]] are 2 − √2, 2, 2 + √2 */
    double a[9] = {2, -1, 0, -1, 2, -1, 0, -1, 2}, lambda[3];
    CHECK(gdlab_symmetric_eigenvalues(a, 3, lambda) == 0);
    CHECK_CLOSE(lambda[0], 2 - sqrt(2), 1e-14);
    CHECK_CLOSE(lambda[1], 2, 1e-14);
    CHECK_CLOSE(lambda[2], 2 + sqrt(2), 1e-14);
    /* random symmetric 6 x 6: Σλ = trace and Σλ² = ‖A‖²_F (both invariant under rotations) */
    srand(7);
    for (int trial = 0; trial < 20; trial++) {
        double m[36], copy[36], l[6], trace = 0, frob = 0;
        for (int i = 0; i < 6; i++)
            for (int j = 0; j <= i; j++)
                m[i * 6 + j] = m[j * 6 + i] = (double)rand() / RAND_MAX * 20 - 10;
        for (int i = 0; i < 36; i++) copy[i] = m[i], frob += m[i] * m[i];
        for (int i = 0; i < 6; i++) trace += m[i * 6 + i];
        CHECK(gdlab_symmetric_eigenvalues(copy, 6, l) == 0);
        double sum = 0, squares = 0;
        for (int i = 0; i < 6; i++) sum += l[i], squares += l[i] * l[i];
        CHECK(fabs(sum - trace) <= 1e-12 * (1 + fabs(trace)));
        CHECK_CLOSE(squares, frob, 1e-12);
        for (int i = 0; i + 1 < 6; i++) CHECK(l[i] <= l[i + 1]);
    }
    double bad[4] = {1, NAN, NAN, 1}, lb[2];
    CHECK(gdlab_symmetric_eigenvalues(bad, 2, lb) == -1 && isnan(lb[0]) && isnan(lb[1]));
}

static void a_run_records_the_hessian_spectrum_at_every_point(gdlab_registry *reg)
{
    const gdlab_surface_desc *q =
        (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "quadratic");
    const gdlab_optimizer_desc *gd =
        (const gdlab_optimizer_desc *)gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd");
    double p[5];
    gdlab_params_defaults(&q->h, p);
    p[gdlab_param_index(&q->h, "a")] = 1.5, p[gdlab_param_index(&q->h, "b")] = 4;
    p[gdlab_param_index(&q->h, "angle")] = 35;
    gdlab_surface *s = gdlab_surface_new(q, p, err, sizeof err);
    gdlab_optimizer *o = gdlab_optimizer_new(gd, NULL, err, sizeof err);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 30;
    cfg.record_curvature = 1;
    gdlab_trajectory t;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    CHECK(t.curvature != NULL && t.n == 31);
    for (size_t k = 0; t.curvature && k < t.n; k++) { /* a quadratic: λ = 2a and 2b everywhere */
        CHECK_CLOSE(t.curvature[2 * k], 3.0, 1e-13);
        CHECK_CLOSE(t.curvature[2 * k + 1], 8.0, 1e-13);
    }
    CHECK(t.evals[t.n - 1] == t.n && t.hessian_evals == 0); /* observing is not counted */
    gdlab_trajectory_free(&t);
    gdlab_surface_free(s);

    /* Rosenbrock at its minimum (1, 1): H = [[802, −400], [−400, 200]], λ = 501 ∓ √250601 */
    const gdlab_surface_desc *r =
        (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "rosenbrock");
    s = gdlab_surface_new(r, NULL, err, sizeof err);
    const double at_min[2] = {1, 1};
    cfg.start = at_min;
    cfg.max_steps = 0;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    CHECK_CLOSE(t.curvature[0], 501 - sqrt(250601.0), 1e-9);
    CHECK_CLOSE(t.curvature[1], 501 + sqrt(250601.0), 1e-13);
    gdlab_trajectory_free(&t);
    gdlab_surface_free(s);
    gdlab_optimizer_free(o);
}

int main(void)
{
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    jacobi_eigenvalues_keep_trace_and_frobenius_norm();
    a_run_records_the_hessian_spectrum_at_every_point(reg);
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
