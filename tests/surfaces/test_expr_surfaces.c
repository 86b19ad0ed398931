/* SPDX-License-Identifier: MIT */
/* Formula surfaces: exact derivatives (against finite differences, against closed forms, and
 * against the hand-written plugins of the same functions), landmarks, the surface spec, and a run
 * that meets a domain error. */
#include "check.h"
#include "surface_checks.h"
#include "gdlab/expr.h"

static char err[GDLAB_ERRLEN];
static gdlab_registry *reg;

static gdlab_surface *formula(const char *source, const gdlab_expr_surface_spec *spec)
{
    gdlab_expr *e = gdlab_expr_compile(source, NULL, 0, NULL, 0, err, sizeof err);
    if (!e) fprintf(stderr, "'%s': %s\n", source, err);
    CHECK(e != NULL);
    gdlab_surface *s = e ? gdlab_expr_surface(e, spec, err, sizeof err) : NULL;
    CHECK(s != NULL);
    return s;
}

/* The same functions as the plugins, typed as formulas: value, gradient and Hessian must agree
 * to rounding at 1,000 random points of the plugin's domain. */
static const struct {
    const char *plugin, *source;
} twins[] = {
    {"rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2"},
    {"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"},
    {"multimodal", "sin(x)*cos(y) + 0.1*(x^2 + y^2)"},
    {"beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"},
    {"goldstein_price", "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
                        "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))"},
    {"six_hump_camel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2"},
    {"ackley", "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + 20 + e"},
    {"levi13", "sin(3*pi*x)^2 + (x - 1)^2*(1 + sin(3*pi*y)^2) + (y - 1)^2*(1 + sin(2*pi*y)^2)"},
    {"mccormick", "sin(x + y) + (x - y)^2 - 1.5*x + 2.5*y + 1"},
    {"styblinski_tang", "0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)"},
};

static double max_relative_gap(const double *a, const double *b, size_t n)
{
    double scale = 0.0, gap = 0.0;
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(b[i])), gap = fmax(gap, fabs(a[i] - b[i]));
    return gap / fmax(scale, 1e-300);
}

static void formulas_agree_with_the_plugins(void)
{
    for (size_t t = 0; t < sizeof twins / sizeof twins[0]; t++) {
        const gdlab_surface_desc *d =
            (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, twins[t].plugin);
        CHECK(d != NULL);
        if (!d) continue;
        gdlab_surface *p = gdlab_surface_new(d, NULL, err, sizeof err), *f = formula(twins[t].source, NULL);
        if (!p || !f) continue;
        double lo[2], hi[2], x[2], gp[2], gf[2], hp[4], hf[4];
        gdlab_surface_domain(p, lo, hi);
        uint64_t seed = 99 + t;
        int bad = 0;
        for (int k = 0; k < 1000; k++) {
            for (int i = 0; i < 2; i++) x[i] = lo[i] + (hi[i] - lo[i]) * sc_uniform(&seed);
            const double vp = gdlab_surface_eval(p, x, gp), vf = gdlab_surface_eval(f, x, gf);
            gdlab_surface_hessian(p, x, hp);
            gdlab_surface_hessian(f, x, hf);
            /* different but equivalent arithmetic: agreement to ~1e-12 of the largest entry */
            if (!(fabs(vp - vf) <= 1e-12 * fmax(1.0, fabs(vp)) && max_relative_gap(gf, gp, 2) <= 1e-11 &&
                  max_relative_gap(hf, hp, 4) <= 1e-11))
                bad++;
        }
        if (bad) fprintf(stderr, "%s: formula and plugin differ at %d of 1000 points\n", twins[t].plugin, bad);
        CHECK(bad == 0);
        gdlab_surface_free(p);
        gdlab_surface_free(f);
    }
}

/* Every operator and function, in 1, 2 and 3 dimensions, against finite differences. */
static void every_operation_has_exact_derivatives(void)
{
    static const struct {
        const char *source;
        double lo, hi; /* on every axis; x^y needs x > 0 */
    } cases[] = {
        {"tan(x/3)*tanh(y) + exp(-x^2)*log(1 + y^2) + sqrt(4 + x)/(1.5 + cos(y))", -3.0, 3.0},
        {"x^y + pow(y, 3) + 2^x + x^-1.5 + y^7/(x^3 + 1)", 0.5, 2.5},
        {"abs(x - 1)*y + min(x, y^2) + max(sin(x), cos(y)) - min(x, y, 0.5)", -2.0, 2.0},
        {"1/(x^2 + y^2 + 1) - 3/x + (x*y)/(y - 5) + x^2.5", 0.3, 3.0},
        {"x^4 - 3*x^3 + 2*x - 1/x", 0.2, 3.0},
        {"x1^2 + 2*x2^2 + 3*x3^2 + x1*x2*x3 + sin(x1 - x3)", -2.0, 2.0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const double lo[3] = {cases[c].lo, cases[c].lo, cases[c].lo}, hi[3] = {cases[c].hi, cases[c].hi, cases[c].hi};
        const gdlab_expr_surface_spec spec = {.lo = lo, .hi = hi};
        gdlab_surface *s = formula(cases[c].source, &spec);
        if (!s) continue;
        CHECK(gdlab_surface_has_hessian(s));
        check_derivatives(s, cases[c].source, 1000, 7u + c);
        gdlab_surface_free(s);
    }
}

/* Closed forms, exactly where the arithmetic is exact. */
static void derivatives_match_closed_forms(void)
{
    gdlab_expr *e = gdlab_expr_compile("x^y", NULL, 0, NULL, 0, err, sizeof err);
    double g[3], h[9];
    CHECK(gdlab_expr_eval(e, (const double[]){2.0, 3.0}, g, h) == 8.0);
    CHECK(g[0] == 12.0);                      /* y·x^(y−1) */
    CHECK_CLOSE(g[1], 8.0 * log(2.0), 1e-15); /* x^y·ln x */
    CHECK(h[0] == 12.0);                      /* y(y−1)·x^(y−2) */
    CHECK_CLOSE(h[1], 4.0 * (1.0 + 3.0 * log(2.0)), 1e-15);
    CHECK(h[1] == h[2]);
    CHECK_CLOSE(h[3], 8.0 * log(2.0) * log(2.0), 1e-15);
    gdlab_expr_free(e);

    e = gdlab_expr_compile("x1*x2*x3", NULL, 0, NULL, 0, err, sizeof err);
    CHECK(gdlab_expr_eval(e, (const double[]){2.0, 3.0, 5.0}, g, h) == 30.0);
    CHECK(g[0] == 15.0 && g[1] == 10.0 && g[2] == 6.0);
    CHECK(h[0] == 0.0 && h[1] == 5.0 && h[2] == 3.0 && h[5] == 2.0 && h[7] == 2.0 && h[8] == 0.0);
    gdlab_expr_free(e);

    e = gdlab_expr_compile("abs(x) + max(x, 0)", NULL, 0, NULL, 0, err, sizeof err);
    CHECK(gdlab_expr_eval(e, (const double[]){0.0}, g, NULL) == 0.0 && g[0] == 1.0); /* abs'(0) = 0; tie: x */
    CHECK(gdlab_expr_eval(e, (const double[]){-2.0}, g, h) == 2.0 && g[0] == -1.0 && h[0] == 0.0);
    gdlab_expr_free(e);

    e = gdlab_expr_compile("log(x) + sqrt(y)", NULL, 0, NULL, 0, err, sizeof err);
    CHECK(isnan(gdlab_expr_eval(e, (const double[]){-1.0, 4.0}, g, h)) && isnan(g[0]));
    CHECK(gdlab_expr_eval(e, (const double[]){1.0, 4.0}, g, h) == 2.0 && g[0] == 1.0 && g[1] == 0.25);
    CHECK(h[0] == -1.0 && h[3] == -1.0 / 32.0 && h[1] == 0.0);
    gdlab_expr_free(e);
}

static void the_spec_sets_the_frame_and_landmarks(void)
{
    const double lo[2] = {-3, -2}, hi[2] = {3, 2}, start[2] = {2, -1};
    const double points[] = {-1.3064400083695109598, 0.0, 1.26551354906476888, 2.5719535574342798398 / 2.0};
    const int kinds[] = {GDLAB_LANDMARK_GLOBAL_MIN, GDLAB_LANDMARK_LOCAL_MIN};
    const gdlab_expr_surface_spec spec = {lo, hi, start, 1, kinds, points};
    gdlab_surface *s = formula("sin(x)*cos(y) + 0.1*(x^2 + y^2)", &spec);
    double box[4], x[2];
    gdlab_surface_domain(s, box, box + 2);
    CHECK(box[0] == -3 && box[1] == -2 && box[2] == 3 && box[3] == 2);
    gdlab_surface_start(s, x);
    CHECK(x[0] == 2 && x[1] == -1);
    CHECK(check_landmarks(s, "formula multimodal") == 1);
    CHECK_CLOSE(gdlab_surface_min_value(s), -0.79458233756152833555, 1e-14);
    gdlab_surface_free(s);

    s = formula("x^2 - y^2", NULL); /* defaults: [−5, 5]², start at 80% of the box */
    gdlab_surface_domain(s, box, box + 2);
    gdlab_surface_start(s, x);
    CHECK(box[0] == -5 && box[3] == 5 && x[0] == 3 && x[1] == 3);
    CHECK(gdlab_surface_landmark(s, 0, x) == GDLAB_LANDMARK_END);
    gdlab_surface_free(s);

    gdlab_expr *e = gdlab_expr_compile("x + y", NULL, 0, NULL, 0, err, sizeof err);
    const double flipped[2] = {3, 2};
    CHECK(gdlab_expr_surface(e, &(gdlab_expr_surface_spec){.lo = flipped, .hi = lo}, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "domain of x must be finite with lo < hi, got [3, -3]");
    e = gdlab_expr_compile("x + y", NULL, 0, NULL, 0, err, sizeof err);
    const int wrong_order[] = {GDLAB_LANDMARK_LOCAL_MIN, GDLAB_LANDMARK_GLOBAL_MIN};
    CHECK(gdlab_expr_surface(e, &(gdlab_expr_surface_spec){.n_landmarks = 2, .landmark_kinds = wrong_order,
                                                            .landmarks = points},
                             err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "landmark 2: global minima must come first");
}

/* A run that steps where the formula is undefined diverges instead of crashing or looping. */
static void a_domain_error_stops_a_run_as_divergence(void)
{
    const gdlab_optimizer_desc *d =
        (const gdlab_optimizer_desc *)gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd");
    CHECK(d != NULL);
    if (!d) return;
    gdlab_optimizer *o = gdlab_optimizer_new(d, NULL, err, sizeof err); /* lr = 0.1 */
    /* f = log(x) + y²: from x = 0.05, the step x − 0.1·(1/x) = −1.95 leaves log's domain */
    gdlab_surface *s = formula("log(x) + y^2", NULL);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.start = (const double[]){0.05, 1.0};
    cfg.max_steps = 50;
    gdlab_trajectory t;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    CHECK(t.status == GDLAB_DIVERGED);
    CHECK(t.stop_step == 1);
    gdlab_trajectory_free(&t);
    /* and the same formula converges where it is defined: log(x) + y² from (1, 1) keeps x > 0 but
     * runs downhill forever in x, so use a bowl */
    gdlab_surface_free(s);
    s = formula("(x - 1)^2 + y^2", NULL);
    cfg.start = (const double[]){3.0, -2.0};
    cfg.max_steps = 200;
    cfg.gtol = 1e-8;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    CHECK(t.status == GDLAB_CONVERGED);
    CHECK(fabs(t.x[2 * (t.n - 1)] - 1.0) < 1e-8);
    gdlab_trajectory_free(&t);
    gdlab_surface_free(s);
    gdlab_optimizer_free(o);
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    formulas_agree_with_the_plugins();
    every_operation_has_exact_derivatives();
    derivatives_match_closed_forms();
    the_spec_sets_the_frame_and_landmarks();
    a_domain_error_stops_a_run_as_divergence();
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
