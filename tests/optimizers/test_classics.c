/* SPDX-License-Identifier: MIT */
/* Analytic facts of the optimizers, through the registry and gdlab_run:
 *   - Newton lands on the minimum of a quadratic in one step; damping shrinks the step along each
 *     eigen-direction by λ/(λ + damping); without a Hessian it fails with a clear reason;
 *   - CG with the exact line search finishes a 2-D quadratic in at most 2 steps (both formulas);
 *   - BFGS and L-BFGS reach ‖∇f‖ ≤ 1e-10 on Rosenbrock from (−1.2, 1) within the step and
 *     evaluation budgets of docs/optimizers.md;
 *   - the Armijo rule holds at every accepted step, and evaluations = Σ(backtracks + 1);
 *   - Nesterov's first steps equal a hand computation, at 2 evaluations per step;
 *   - the momentum forms map onto each other as their descriptions say;
 *   - Adam's and RAdam's internals show the textbook first steps;
 *   - linreg's mini-batch gradients are reproducible from the run's seed;
 *   - bad parameters are refused by name. */
#include <stdlib.h>

#include "check.h"
#include "gdlab/gdlab.h"
#include "gdlab/schedule.h"
#include "plugin_runs.h"

/* ---- Newton --------------------------------------------------------------------------------------- */

static void newton_lands_on_a_quadratic_minimum_in_one_step(void)
{
    gdlab_trajectory t =
        run("quadratic a=1 b=25 angle=35 cx=1.5 cy=-0.5", "newton", -3.0, 2.0, 10, 1e-12);
    CHECK(t.status == GDLAB_CONVERGED && t.stop_step == 1);
    CHECK(fabs(t.x[2] - 1.5) <= 1e-14 * 5 && fabs(t.x[3] + 0.5) <= 1e-14 * 5); /* 5: |x0 − x*| */
    CHECK(t.hessian_evals == 1);
    CHECK(t.evals[1] == 2); /* one at the start, one at the new point */
    /* the decrement gᵀH⁻¹g is twice the loss drop on a quadratic */
    CHECK_CLOSE(internal(&t, 1, "newton", "decrement", 0), 2.0 * (t.loss[0] - t.loss[1]), 1e-13);
    gdlab_trajectory_free(&t);
}

static void newton_damping_shrinks_each_eigendirection_by_lambda_over_lambda_plus_damping(void)
{
    /* unrotated, centred: the eigenvalues are 2a = 2 and 2b = 8 along x and y */
    gdlab_trajectory t = run("quadratic a=1 b=4", "newton damping=2", -3.0, 2.0, 3, NAN);
    CHECK(t.n == 4);
    for (size_t k = 1; k < t.n; k++) {
        CHECK_CLOSE(t.x[2 * k], t.x[2 * k - 2] * (2.0 / (2.0 + 2.0)), 1e-14);
        CHECK_CLOSE(t.x[2 * k + 1], t.x[2 * k - 1] * (2.0 / (8.0 + 2.0)), 1e-14);
    }
    gdlab_trajectory_free(&t);
}

/* A surface that has no Hessian: f = x² + y², made by the host. */
static double bowl_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    if (grad) grad[0] = 2.0 * x[0], grad[1] = 2.0 * x[1];
    return x[0] * x[0] + x[1] * x[1];
}
static void bowl_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -1.0, hi[0] = hi[1] = 1.0;
}
static void bowl_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 0.5, x0[1] = -0.5;
}

static void hessian_methods_fail_clearly_without_a_hessian(void)
{
    static const gdlab_surface_desc bowl = {
        .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "bowl", "x² + y²", NULL),
        .dim = 2, .eval = bowl_eval, .domain = bowl_domain, .start = bowl_start,
    };
    gdlab_surface *s = gdlab_surface_wrap(&bowl, 2, NULL, NULL);
    const char *specs[] = {"newton", "cg exact=1", "sophia", "heavy_ball_optimal"};
    const char *reasons[] = {"newton needs the Hessian, and this surface has none",
                             "exact=true needs the Hessian, and this surface has none",
                             "sophia needs the Hessian's diagonal, and this surface has none",
                             "heavy_ball_optimal needs the Hessian at the start, and this surface has none"};
    for (int i = 0; i < 4; i++) {
        gdlab_optimizer *o = optimizer(specs[i]);
        gdlab_run_config cfg;
        gdlab_run_config_defaults(&cfg);
        gdlab_trajectory t;
        CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
        CHECK(t.status == GDLAB_FAILED && t.stop_step == 1);
        CHECK_STR_CONTAINS(t.reason, reasons[i]);
        gdlab_trajectory_free(&t);
        gdlab_optimizer_free(o);
    }
    gdlab_surface_free(s);
}

/* ---- CG ------------------------------------------------------------------------------------------- */

static void exact_cg_finishes_a_2d_quadratic_in_at_most_two_steps(void)
{
    const char *quadratics[] = {"quadratic a=1 b=10 angle=30 cx=1 cy=-0.5",
                                "quadratic a=1 b=100 angle=-50", "quadratic a=3 b=0.5 angle=10 cx=-2 cy=2"};
    const char *methods[] = {"cg exact=1 beta=fletcher_reeves", "cg exact=1 beta=polak_ribiere"};
    for (int q = 0; q < 3; q++)
        for (int m = 0; m < 2; m++) {
            gdlab_trajectory t = run(quadratics[q], methods[m], -3.0, 2.0, 2, NAN);
            CHECK(t.n == 3);
            /* exact arithmetic gives 0; the start's gradient is O(10..1000) */
            CHECK(t.grad_norm[2] <= 1e-12 * t.grad_norm[0]);
            CHECK(t.grad_norm[1] > 1e-3 * t.grad_norm[0]); /* a rotated quadratic needs the 2nd step */
            CHECK(t.hessian_evals == 2 && t.evals[2] == 3);
            gdlab_trajectory_free(&t);
        }
}

/* ---- quasi-Newton --------------------------------------------------------------------------------- */

static void quasi_newton_solves_rosenbrock_within_budget(void)
{
    /* budgets as in docs/optimizers.md; measured: bfgs 39 steps / 47 evaluations, lbfgs 38 / 47 */
    const char *methods[] = {"bfgs", "lbfgs", "lbfgs m=3"};
    for (int m = 0; m < 3; m++) {
        gdlab_trajectory t = run("rosenbrock", methods[m], -1.2, 1.0, 1000, 1e-10);
        CHECK(t.status == GDLAB_CONVERGED);
        CHECK(t.stop_step <= 45);
        CHECK(t.evals[t.n - 1] <= 60);
        CHECK(t.hessian_evals == 0);
        CHECK(fabs(t.x[2 * (t.n - 1)] - 1.0) < 1e-9 && fabs(t.x[2 * (t.n - 1) + 1] - 1.0) < 1e-9);
        printf("%-10s rosenbrock from (-1.2, 1): |g| <= 1e-10 after %llu steps, %llu evaluations\n",
               methods[m], (unsigned long long)t.stop_step, (unsigned long long)t.evals[t.n - 1]);
        gdlab_trajectory_free(&t);
    }
}

static void line_search_steps_satisfy_their_conditions(void)
{
    /* Armijo: f(x_k) <= f(x_{k-1}) - c1·α·‖g‖², α = lr·shrink^backtracks, evals = Σ(backtracks + 1) */
    gdlab_trajectory t = run("rosenbrock", "gd_armijo lr=1 c1=0.3 shrink=0.5", -1.2, 1.0, 50, NAN);
    CHECK(t.n == 51);
    uint64_t evals = 1;
    for (size_t k = 1; k < t.n; k++) {
        const double alpha = internal(&t, k, "gd_armijo", "step_length", 0);
        const double backtracks = internal(&t, k, "gd_armijo", "backtracks", 0);
        CHECK(alpha == ldexp(1.0, -(int)backtracks));
        CHECK(t.loss[k] <= t.loss[k - 1] - 0.3 * alpha * t.grad_norm[k - 1] * t.grad_norm[k - 1]);
        /* and the previous trial, twice as long, was rejected (unless lr itself was accepted) */
        evals += (uint64_t)backtracks + 1;
        CHECK(t.evals[k] == evals);
    }
    gdlab_trajectory_free(&t);

    /* strong Wolfe (bfgs): |g_newᵀd| <= c2·|gᵀd| is visible as the curvature yᵀs > 0 every step */
    t = run("rosenbrock", "bfgs", -1.2, 1.0, 30, NAN);
    for (size_t k = 1; k < t.n; k++)
        CHECK(internal(&t, k, "bfgs", "curvature", 0) > 0.0 && t.loss[k] < t.loss[k - 1]);
    gdlab_trajectory_free(&t);
}

/* ---- momentum family ------------------------------------------------------------------------------ */

static void nesterov_looks_ahead_at_two_evaluations_per_step(void)
{
    /* f = x² + 4y² (quadratic a=1 b=4): ∇f = (2x, 8y) */
    const double lr = 0.05, mu = 0.9;
    gdlab_trajectory t = run("quadratic a=1 b=4", "nesterov lr=0.05 mu=0.9", -3.0, 2.0, 20, NAN);
    double x = -3.0, y = 2.0, vx = 0.0, vy = 0.0;
    for (size_t k = 1; k <= 3; k++) { /* by hand */
        const double ax = x + mu * vx, ay = y + mu * vy; /* the look-ahead point */
        vx = mu * vx - lr * 2.0 * ax;
        vy = mu * vy - lr * 8.0 * ay;
        x += vx, y += vy;
        CHECK_CLOSE(t.x[2 * k], x, 1e-15);
        CHECK_CLOSE(t.x[2 * k + 1], y, 1e-15);
        CHECK_CLOSE(internal(&t, k, "nesterov", "lookahead", 0), ax, 1e-15);
    }
    /* step 1 looks ahead from v = 0, i.e. at x itself, which the host has evaluated already */
    CHECK(t.evals[1] - t.evals[0] == 1);
    for (size_t k = 2; k < t.n; k++)
        CHECK(t.evals[k] - t.evals[k - 1] == 2);
    gdlab_trajectory_free(&t);
}

static void momentum_forms_map_onto_each_other(void)
{
    const char *s = "quadratic a=1 b=10 angle=30 cx=1 cy=-0.5";
    gdlab_trajectory pt = run(s, "momentum lr=0.01 beta=0.9", -3.0, 2.0, 100, NAN);
    gdlab_trajectory nb = run(s, "momentum_notebook lr=0.01 mu=0.9", -3.0, 2.0, 100, NAN);
    /* ema with lr/(1-beta) makes the same steps as pytorch with lr */
    gdlab_trajectory ema = run(s, "momentum lr=0.1 beta=0.9 form=ema", -3.0, 2.0, 100, NAN);
    CHECK(pt.n == 101 && nb.n == 101 && ema.n == 101);
    for (size_t k = 1; k < pt.n; k++)
        for (size_t i = 0; i < 2; i++) {
            CHECK(fabs(nb.x[2 * k + i] - pt.x[2 * k + i]) <= 1e-13 * fmax(fabs(pt.x[2 * k + i]), 1));
            CHECK(fabs(ema.x[2 * k + i] - pt.x[2 * k + i]) <= 1e-13 * fmax(fabs(pt.x[2 * k + i]), 1));
            /* v_notebook = −lr·v_pytorch */
            CHECK_CLOSE(internal(&nb, k, "momentum_notebook", "velocity", i),
                        -0.01 * internal(&pt, k, "momentum", "velocity", i), 1e-12);
        }
    /* the first ema velocity is (1 − β)·g */
    gdlab_surface *surf = surface(s);
    double g[2];
    gdlab_surface_eval(surf, ema.x, g);
    CHECK_CLOSE(internal(&ema, 1, "momentum", "velocity", 0), (1.0 - 0.9) * g[0], 1e-15);
    CHECK_CLOSE(internal(&ema, 1, "momentum", "velocity", 1), (1.0 - 0.9) * g[1], 1e-15);
    gdlab_surface_free(surf);
    gdlab_trajectory_free(&pt);
    gdlab_trajectory_free(&nb);
    gdlab_trajectory_free(&ema);
}

static void momentum_forms_part_ways_when_the_lr_changes(void)
{
    /* With a schedule the notebook velocity keeps the old lr inside it; pytorch's does not. */
    gdlab_surface *s = surface("quadratic a=1 b=4");
    gdlab_optimizer *pt = optimizer("momentum lr=0.02 beta=0.9");
    gdlab_optimizer *nb = optimizer("momentum_notebook lr=0.02 mu=0.9");
    gdlab_schedule *sched = gdlab_schedule_new("step", err, sizeof err);
    CHECK(gdlab_schedule_set(sched, "step_size", 5, err, sizeof err) == 0);
    CHECK(gdlab_schedule_check(sched, err, sizeof err) == 0);
    gdlab_schedules *set = gdlab_schedules_new();
    CHECK(gdlab_schedules_add(set, sched, err, sizeof err) == 0);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 6;
    cfg.record_internals = 1;
    cfg.schedule = set;
    gdlab_trajectory a, b;
    CHECK(gdlab_run(s, pt, &cfg, &a, err, sizeof err) == 0);
    CHECK(gdlab_run(s, nb, &cfg, &b, err, sizeof err) == 0);
    CHECK_CLOSE(b.x[10], a.x[10], 1e-14); /* the same path for 5 steps at lr = 0.02 */
    CHECK_CLOSE(b.x[11], a.x[11], 1e-14);
    /* step 6 runs at lr/10: pytorch scales its whole step by the new lr, the notebook form keeps
     * μ·v₅ = −μ·0.02·v₅(pytorch) at the old lr, so x₆ differs by −μ·(0.02 − 0.002)·v₅ */
    for (size_t i = 0; i < 2; i++)
        CHECK_CLOSE(b.x[12 + i] - a.x[12 + i],
                    -0.9 * (0.02 - 0.002) * internal(&a, 5, "momentum", "velocity", i), 1e-9);
    gdlab_trajectory_free(&a);
    gdlab_trajectory_free(&b);
    gdlab_schedules_free(set);
    gdlab_optimizer_free(pt);
    gdlab_optimizer_free(nb);
    gdlab_surface_free(s);
}

/* ---- adaptive methods' internals ------------------------------------------------------------------ */

static void adam_and_radam_internals_show_the_textbook_first_steps(void)
{
    gdlab_trajectory t = run("quadratic a=1 b=10 angle=30", "adam lr=0.1", -3.0, 2.0, 10, NAN);
    gdlab_surface *s = surface("quadratic a=1 b=10 angle=30");
    double g[2];
    gdlab_surface_eval(s, t.x, g);
    for (size_t i = 0; i < 2; i++) {
        /* bias correction makes m̂ = g and v̂ = g² on step 1, so the step is lr·g/(|g| + eps) */
        CHECK_CLOSE(internal(&t, 1, "adam", "m_hat", i), g[i], 1e-15);
        CHECK_CLOSE(internal(&t, 1, "adam", "v_hat", i), g[i] * g[i], 1e-15);
        CHECK_CLOSE(t.x[2 + i] - t.x[i], -0.1 * g[i] / (fabs(g[i]) + 1e-8), 1e-14);
    }
    gdlab_trajectory_free(&t);
    gdlab_surface_free(s);

    /* RAdam with beta2 = 0.999: rho_t = rho_inf − 2t·β₂ᵗ/(1 − β₂ᵗ) is just under t, so steps 1-5 are
     * unrectified momentum steps and step 6 is the first adaptive one */
    t = run("quadratic a=1 b=10 angle=30", "radam lr=0.001", -3.0, 2.0, 8, NAN);
    for (size_t k = 1; k < t.n; k++) {
        const double rho = internal(&t, k, "radam", "rho", 0), b2t = pow(0.999, (double)k);
        /* a difference of two numbers near 2000: compare to 1e-12 of those */
        CHECK(fabs(rho - ((2.0 / 0.001 - 1.0) - 2.0 * (double)k * b2t / (1.0 - b2t))) < 2000 * 1e-12);
        CHECK(rho <= (double)k && rho > (double)k - 0.05);
        CHECK((internal(&t, k, "radam", "rectification", 0) > 0) == (k >= 6));
    }
    gdlab_trajectory_free(&t);
}

/* ---- stochastic gradients ------------------------------------------------------------------------- */

static gdlab_trajectory linreg_run(const char *spec_s, uint64_t seed)
{
    gdlab_surface *s = surface(spec_s);
    gdlab_optimizer *o = optimizer("sgd lr=0.05");
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 300;
    cfg.seed = seed;
    gdlab_trajectory t;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
    return t;
}

static void linreg_minibatches_are_reproducible_and_unbiased(void)
{
    gdlab_surface *s = surface("linreg");
    double minimum[2], g[2];
    CHECK(gdlab_surface_landmark(s, 0, minimum) == GDLAB_LANDMARK_GLOBAL_MIN);
    gdlab_surface_eval(s, minimum, g);
    CHECK(hypot(g[0], g[1]) < 1e-12); /* the closed-form least-squares line is stationary */
    CHECK(fabs(minimum[0] - 2.0) < 0.3 && fabs(minimum[1] + 1.0) < 0.3); /* near the true line */

    /* the mean of many mini-batch gradients is the full gradient (sampling with replacement is
     * unbiased); 20000 draws of 8 points leave a standard error well under 1% here */
    const double at[2] = {0.5, 1.0};
    double full[2], mean[2] = {0, 0}, sample[2];
    gdlab_surface_eval(s, at, full);
    for (uint64_t draw = 0; draw < 20000; draw++) {
        gdlab_surface_eval_sample(s, at, sample, draw * 0x9e3779b97f4a7c15ull);
        mean[0] += sample[0] / 20000, mean[1] += sample[1] / 20000;
    }
    CHECK(fabs(mean[0] - full[0]) < 0.02 * hypot(full[0], full[1]));
    CHECK(fabs(mean[1] - full[1]) < 0.02 * hypot(full[0], full[1]));
    gdlab_surface_eval_sample(s, at, sample, 42);
    CHECK(sample[0] != full[0]); /* a single batch is noisy */
    gdlab_surface_free(s);

    gdlab_trajectory a = linreg_run("linreg batch=8", 1), b = linreg_run("linreg batch=8", 1);
    gdlab_trajectory c = linreg_run("linreg batch=8", 2);
    CHECK(a.n == 301 && b.n == 301 && c.n == 301);
    CHECK(memcmp(a.x, b.x, a.n * 2 * sizeof(double)) == 0); /* same seed, same path */
    CHECK(a.x[2 * 300] != c.x[2 * 300]);                    /* another seed, another path */
    /* noisy steps, yet SGD ends near the minimum, 3.9 away at the start */
    CHECK(hypot(a.x[600] - minimum[0], a.x[601] - minimum[1]) < 0.2);
    CHECK(a.evals[300] == 1 + 2 * 300); /* a sampled gradient and the exact loss per step */
    gdlab_trajectory_free(&a);
    gdlab_trajectory_free(&b);
    gdlab_trajectory_free(&c);
}

/* ---- bad parameters ------------------------------------------------------------------------------- */

static void bad_parameters_are_refused_by_name(void)
{
    double p[MAX_PARAMS];
    CHECK(plugin_params(GDLAB_KIND_OPTIMIZER, "adam lr=-0.001", p) == NULL);
    CHECK_STR_CONTAINS(err, "parameter 'lr' of optimizer 'adam' must be in (0, inf), got -0.001");
    CHECK(plugin_params(GDLAB_KIND_OPTIMIZER, "momentum beta=1", p) == NULL);
    CHECK_STR_CONTAINS(err, "parameter 'beta' of optimizer 'momentum' must be in [0, 1), got 1");
    CHECK(plugin_params(GDLAB_KIND_OPTIMIZER, "adam beta2=1.5", p) == NULL);
    CHECK_STR_CONTAINS(err, "parameter 'beta2' of optimizer 'adam' must be in [0, 1)");
    CHECK(plugin_params(GDLAB_KIND_OPTIMIZER, "momentum form=nesterov", p) == NULL);
    CHECK_STR_CONTAINS(err, "parameter 'form' of optimizer 'momentum' must be one of: pytorch, ema; got "
                            "'nesterov'");
    CHECK(plugin_params(GDLAB_KIND_OPTIMIZER, "cg beta=hestenes_stiefel", p) == NULL);
    CHECK_STR_CONTAINS(err, "one of: fletcher_reeves, polak_ribiere");
    CHECK(plugin_params(GDLAB_KIND_OPTIMIZER, "lbfgs m=2.5", p) == NULL);
    CHECK_STR_CONTAINS(err, "parameter 'm' of optimizer 'lbfgs'");
    CHECK(plugin_params(GDLAB_KIND_OPTIMIZER, "sgd momentun=0.9", p) == NULL);
    CHECK_STR_CONTAINS(err, "unknown parameter 'momentun' for optimizer 'sgd'; valid: lr, momentum");

    /* relations between parameters are checked when a run starts */
    const char *bad[] = {"sgd nesterov=1", "sgd nesterov=1 momentum=0.9 dampening=0.5",
                         "bfgs c1=0.5 c2=0.4", "lbfgs c1=0.9", "cg c1=0.2"};
    const char *why[] = {"nesterov=true requires momentum > 0 and dampening = 0",
                         "nesterov=true requires momentum > 0 and dampening = 0", "needs c1 < c2",
                         "needs c1 < c2", "needs c1 < c2"};
    gdlab_surface *s = surface("quadratic");
    for (int i = 0; i < 5; i++) {
        gdlab_optimizer *o = optimizer(bad[i]);
        gdlab_run_config cfg;
        gdlab_run_config_defaults(&cfg);
        gdlab_trajectory t;
        CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == -1);
        CHECK_STR_CONTAINS(err, why[i]);
        gdlab_optimizer_free(o);
    }
    gdlab_surface_free(s);
    CHECK(plugin_params(GDLAB_KIND_SURFACE, "linreg n=10 batch=20", p) != NULL);
    const gdlab_header *linreg = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "linreg");
    CHECK(gdlab_surface_new((const gdlab_surface_desc *)linreg, p, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "batch must not exceed n");
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    newton_lands_on_a_quadratic_minimum_in_one_step();
    newton_damping_shrinks_each_eigendirection_by_lambda_over_lambda_plus_damping();
    hessian_methods_fail_clearly_without_a_hessian();
    exact_cg_finishes_a_2d_quadratic_in_at_most_two_steps();
    quasi_newton_solves_rosenbrock_within_budget();
    line_search_steps_satisfy_their_conditions();
    nesterov_looks_ahead_at_two_evaluations_per_step();
    momentum_forms_map_onto_each_other();
    momentum_forms_part_ways_when_the_lr_changes();
    adam_and_radam_internals_show_the_textbook_first_steps();
    linreg_minibatches_are_reproducible_and_unbiased();
    bad_parameters_are_refused_by_name();
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
