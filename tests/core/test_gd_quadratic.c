/* SPDX-License-Identifier: MIT */
/* Analytic facts of gradient descent on a quadratic, through the real loader and runner.
 * On f = a·u² + b·v² the Hessian has eigenvalues 2a and 2b; GD multiplies the error along each
 * eigen-direction by exactly (1 − lr·λ) per step, so it converges iff lr < 2/L with L = 2·max(a, b). */
#include "check.h"
#include "gdlab/gdlab.h"

static char err[4096];
static gdlab_registry *reg;

static gdlab_surface *quadratic(double a, double b, double angle, double cx, double cy)
{
    const gdlab_surface_desc *d =
        (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "quadratic");
    double p[5];
    gdlab_params_defaults(&d->h, p);
    CHECK(gdlab_params_set(&d->h, p, "a", a, err, sizeof err) == 0);
    CHECK(gdlab_params_set(&d->h, p, "b", b, err, sizeof err) == 0);
    CHECK(gdlab_params_set(&d->h, p, "angle", angle, err, sizeof err) == 0);
    CHECK(gdlab_params_set(&d->h, p, "cx", cx, err, sizeof err) == 0);
    CHECK(gdlab_params_set(&d->h, p, "cy", cy, err, sizeof err) == 0);
    return gdlab_surface_new(d, p, err, sizeof err);
}

static gdlab_optimizer *gd(double lr)
{
    const gdlab_optimizer_desc *d =
        (const gdlab_optimizer_desc *)gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd");
    double p[1];
    gdlab_params_defaults(&d->h, p);
    CHECK(gdlab_params_set(&d->h, p, "lr", lr, err, sizeof err) == 0);
    return gdlab_optimizer_new(d, p, err, sizeof err);
}

static gdlab_trajectory run(gdlab_surface *s, gdlab_optimizer *o, const double *start, uint64_t steps,
                            double tol)
{
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.start = start;
    cfg.max_steps = steps;
    cfg.tol = tol;
    gdlab_trajectory t;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    return t;
}

static void error_shrinks_by_one_minus_lr_lambda_per_step_along_each_eigendirection(void)
{
    const double a = 1.0, b = 10.0, angle = 30.0, cx = 1.0, cy = -2.0, lr = 0.07;
    const double c = cos(angle * M_PI / 180), s_ = sin(angle * M_PI / 180);
    gdlab_surface *s = quadratic(a, b, angle, cx, cy);
    gdlab_optimizer *o = gd(lr);
    const double start[2] = {-3.0, 2.5};
    gdlab_trajectory t = run(s, o, start, 60, NAN);
    CHECK(t.status == GDLAB_MAX_STEPS && t.n == 61);
    const double ru = 1 - lr * 2 * a, rv = 1 - lr * 2 * b; /* 0.86 and -0.4 */
    const double u0 = c * (start[0] - cx) + s_ * (start[1] - cy);
    const double v0 = -s_ * (start[0] - cx) + c * (start[1] - cy);
    /* Rotation mixes the round-off of the large component into the small one, so the errors are
     * measured against the size of the initial error, not of the (shrinking) component itself. */
    const double e0 = hypot(u0, v0);
    for (size_t k = 0; k <= 60; k++) {
        const double dx = t.x[2 * k] - cx, dy = t.x[2 * k + 1] - cy;
        const double u = c * dx + s_ * dy, v = -s_ * dx + c * dy;
        CHECK(fabs(u - u0 * pow(ru, (double)k)) <= 1e-13 * e0);
        CHECK(fabs(v - v0 * pow(rv, (double)k)) <= 1e-13 * e0);
        CHECK(t.evals[k] == k + 1); /* one evaluation per point */
    }
    gdlab_trajectory_free(&t);
    gdlab_surface_free(s);

    /* Unrotated and centred at 0, the coordinates are the eigen-directions and the errors: the
     * ratio is exact to rounding. */
    s = quadratic(a, b, 0.0, 0.0, 0.0);
    t = run(s, o, start, 30, NAN);
    for (size_t k = 1; k <= 30; k++) {
        CHECK_CLOSE(t.x[2 * k] / t.x[2 * k - 2], ru, 1e-12);
        CHECK_CLOSE(t.x[2 * k + 1] / t.x[2 * k - 1], rv, 1e-12);
    }
    gdlab_trajectory_free(&t);
    gdlab_surface_free(s);
    gdlab_optimizer_free(o);
}

static void lr_above_two_over_l_diverges_and_below_converges(void)
{
    gdlab_surface *s = quadratic(1.0, 10.0, 0.0, 0.0, 0.0); /* L = 20, 2/L = 0.1 */
    const double start[2] = {-4.0, 1.5};
    for (int i = 0; i < 4; i++) {
        const double factor[] = {0.95, 0.99, 1.01, 1.05};
        gdlab_optimizer *o = gd(factor[i] * 0.1);
        gdlab_trajectory t = run(s, o, start, 5000, 1e-12);
        if (factor[i] < 1) {
            CHECK(t.status == GDLAB_CONVERGED);
        } else {
            CHECK(t.status == GDLAB_DIVERGED);
            CHECK_STR_CONTAINS(t.reason, "step");
            /* the loss grew monotonically along the unstable direction before it was stopped */
            CHECK(t.loss[t.n - 1] > 1e3 * t.loss[0]);
        }
        gdlab_trajectory_free(&t);
        gdlab_optimizer_free(o);
    }
    gdlab_surface_free(s);
}

static void lr_one_over_l_on_an_isotropic_quadratic_lands_in_one_step(void)
{
    gdlab_surface *s = quadratic(3.0, 3.0, 17.0, 1.0, 1.0); /* L = 6 */
    gdlab_optimizer *o = gd(1.0 / 6.0);
    const double start[2] = {-2.0, 4.0};
    gdlab_trajectory t = run(s, o, start, 10, 1e-24);
    CHECK(t.status == GDLAB_CONVERGED && t.stop_step == 1);
    CHECK_CLOSE(t.x[2], 1.0, 1e-14);
    CHECK_CLOSE(t.x[3], 1.0, 1e-14);
    gdlab_trajectory_free(&t);
    gdlab_surface_free(s);
    gdlab_optimizer_free(o);
}

static void bad_parameters_and_configs_are_refused_by_name(void)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd");
    double p[1] = {0.1};
    CHECK(gdlab_params_set(h, p, "lr", -0.5, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'lr' of optimizer 'gd' must be in (0, inf), got -0.5");
    CHECK(gdlab_params_set(h, p, "lr", NAN, err, sizeof err) == -1);
    CHECK(gdlab_params_set(h, p, "rl", 0.5, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "unknown parameter 'rl' for optimizer 'gd'; valid: lr");
    CHECK(p[0] == 0.1);

    gdlab_surface *s = quadratic(1, 1, 0, 0, 0);
    gdlab_optimizer *o = gd(0.1);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    gdlab_trajectory t;
    const double bad_start[2] = {NAN, 0};
    cfg.start = bad_start;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "start[1] = nan is not a finite number");
    cfg.start = NULL;
    cfg.bound = -1;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "bound must be > 0");
    gdlab_surface_free(s);
    gdlab_optimizer_free(o);
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    error_shrinks_by_one_minus_lr_lambda_per_step_along_each_eigendirection();
    lr_above_two_over_l_diverges_and_below_converges();
    lr_one_over_l_on_an_isotropic_quadratic_lands_in_one_step();
    bad_parameters_and_configs_are_refused_by_name();
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
