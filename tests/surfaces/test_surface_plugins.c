/* SPDX-License-Identifier: MIT */
/* Every built-in surface: exact gradient and Hessian against finite differences at 1,000 random
 * points, landmarks that are what they claim to be, and the global minima the literature gives. */
#include "check.h"
#include "surface_checks.h"

static char err[GDLAB_ERRLEN];
static gdlab_registry *reg;

/* Published global minima (first listed one when there are several), to the digits quoted.
 * JY: Jamil & Yang 2013, "A literature survey of benchmark functions for global optimization
 * problems"; VLSE: Surjanovic & Bingham, Virtual Library of Simulation Experiments. */
static const struct {
    const char *name;
    double x, y, f, tol;
} published[] = {
    {"quadratic", 0.0, 0.0, 0.0, 1e-12},
    {"ravine", 0.0, 0.0, 0.0, 1e-12},
    {"rosenbrock", 1.0, 1.0, 0.0, 1e-12},                  /* JY, VLSE */
    {"multimodal", -1.30644, 0.0, -0.794582, 1e-6},        /* our Newton/mpmath computation */
    {"beale", 3.0, 0.5, 0.0, 1e-12},                       /* JY, VLSE */
    {"booth", 1.0, 3.0, 0.0, 1e-12},                       /* JY, VLSE */
    {"himmelblau", 3.0, 2.0, 0.0, 1e-12},                  /* Himmelblau 1972 */
    {"rastrigin", 0.0, 0.0, 0.0, 1e-12},                   /* JY, VLSE */
    {"ackley", 0.0, 0.0, 0.0, 1e-12},                      /* JY, VLSE */
    {"styblinski_tang", -2.903534, -2.903534, -78.33233, 1e-5}, /* 2·(−39.16617); VLSE rounds to −39.16599·n */
    {"goldstein_price", 0.0, -1.0, 3.0, 1e-12},            /* JY, VLSE */
    {"three_hump_camel", 0.0, 0.0, 0.0, 1e-12},            /* JY, VLSE */
    {"six_hump_camel", 0.0898, -0.7126, -1.0316, 1e-4},    /* VLSE */
    {"matyas", 0.0, 0.0, 0.0, 1e-12},                      /* JY, VLSE */
    {"levi13", 1.0, 1.0, 0.0, 1e-12},                      /* JY, VLSE */
    {"mccormick", -0.54719, -1.54719, -1.9133, 1e-4},      /* JY, VLSE */
};

/* 1-D surfaces: the position of the minimum and its value. */
static const struct {
    const char *name;
    double x, f, tol;
} published_1d[] = {
    {"parabola", 0.0, 0.0, 1e-12},
    {"double_well", -1.0574537707383778, -0.5147536412757056, 1e-12}, /* numpy.roots of 4x³ − 4x + 0.5 */
};

/* How many landmarks of each kind (global min, local min, saddle, max) the default instance lists. */
static const struct {
    const char *name;
    int counts[4];
} landmark_counts[] = {
    {"rosenbrock", {1, 0, 0, 0}},      {"saddle", {0, 0, 1, 0}},          {"monkey_saddle", {0, 0, 1, 0}},
    {"multimodal", {1, 2, 4, 1}},      {"beale", {1, 0, 2, 0}},           {"himmelblau", {4, 0, 4, 1}},
    {"rastrigin", {1, 120, 0, 0}},     {"ackley", {1, 120, 0, 0}},        {"styblinski_tang", {1, 3, 4, 1}},
    {"goldstein_price", {1, 3, 4, 1}}, {"three_hump_camel", {1, 2, 2, 0}}, {"six_hump_camel", {2, 4, 7, 2}},
    {"mccormick", {1, 1, 1, 0}},       {"double_well", {1, 1, 0, 1}},     {"levi13", {1, 0, 0, 0}},
};

static const gdlab_surface_desc *find(const char *name)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, name);
    if (!h) fprintf(stderr, "surface plugin '%s' is not loaded\n", name);
    CHECK(h != NULL);
    return (const gdlab_surface_desc *)h;
}

static gdlab_surface *make(const gdlab_surface_desc *d, const char *param, double value)
{
    double p[64];
    CHECK(d->h.n_params <= 64);
    gdlab_params_defaults(&d->h, p);
    if (param) CHECK(gdlab_params_set(&d->h, p, param, value, err, sizeof err) == 0);
    gdlab_surface *s = gdlab_surface_new(d, p, err, sizeof err);
    if (!s) fprintf(stderr, "%s: %s\n", d->h.name, err);
    CHECK(s != NULL);
    return s;
}

static void every_surface_has_exact_derivatives_and_true_landmarks(void)
{
    size_t surfaces = 0;
    for (size_t i = 0; i < gdlab_registry_count(reg); i++) {
        const gdlab_header *h = gdlab_registry_get(reg, i, NULL);
        if (h->kind != GDLAB_KIND_SURFACE) continue;
        surfaces++;
        const gdlab_surface_desc *d = (const gdlab_surface_desc *)h;
        CHECK(h->description != NULL); /* formula and reference */
        gdlab_surface *s = make(d, NULL, 0);
        if (!s) continue;
        CHECK(gdlab_surface_has_hessian(s));
        check_derivatives(s, h->name, 1000, 20240601u + i);
        check_landmarks(s, h->name);
        gdlab_surface_free(s);
        /* n-dimensional surfaces, in one and in three dimensions too */
        if (gdlab_param_index(h, "dim") < 0) continue;
        for (int n = 1; n <= 3; n += 2) {
            s = make(d, "dim", n);
            if (!s) continue;
            CHECK(gdlab_surface_dim(s) == (size_t)n);
            char label[64];
            snprintf(label, sizeof label, "%s dim=%d", h->name, n);
            check_derivatives(s, label, 1000, 77u + (uint64_t)n);
            check_landmarks(s, label);
            gdlab_surface_free(s);
        }
    }
    CHECK(surfaces >= 20);
}

static void global_minima_match_the_literature(void)
{
    double x[SC_MAX_DIM];
    for (size_t i = 0; i < GDLAB_COUNT_OF(published); i++) {
        const gdlab_surface_desc *d = find(published[i].name);
        gdlab_surface *s = d ? make(d, NULL, 0) : NULL;
        if (!s) continue;
        CHECK(gdlab_surface_landmark(s, 0, x) == GDLAB_LANDMARK_GLOBAL_MIN);
        CHECK(fabs(x[0] - published[i].x) <= 1e-4 && fabs(x[1] - published[i].y) <= 1e-4);
        CHECK(fabs(gdlab_surface_eval(s, x, NULL) - published[i].f) <= published[i].tol);
        CHECK(fabs(gdlab_surface_min_value(s) - published[i].f) <= published[i].tol);
        gdlab_surface_free(s);
    }
    for (size_t i = 0; i < GDLAB_COUNT_OF(published_1d); i++) {
        const gdlab_surface_desc *d = find(published_1d[i].name);
        gdlab_surface *s = d ? make(d, NULL, 0) : NULL;
        if (!s) continue;
        CHECK(gdlab_surface_dim(s) == 1);
        CHECK(gdlab_surface_landmark(s, 0, x) == GDLAB_LANDMARK_GLOBAL_MIN);
        CHECK_CLOSE(x[0], published_1d[i].x, 1e-12);
        CHECK(fabs(gdlab_surface_eval(s, x, NULL) - published_1d[i].f) <= published_1d[i].tol);
        gdlab_surface_free(s);
    }
}

static void landmark_lists_are_complete(void)
{
    double x[SC_MAX_DIM];
    for (size_t i = 0; i < GDLAB_COUNT_OF(landmark_counts); i++) {
        const gdlab_surface_desc *d = find(landmark_counts[i].name);
        gdlab_surface *s = d ? make(d, NULL, 0) : NULL;
        if (!s) continue;
        int counts[4] = {0, 0, 0, 0}, kind;
        for (size_t k = 0; (kind = gdlab_surface_landmark(s, k, x)) != GDLAB_LANDMARK_END; k++)
            if (kind >= 1 && kind <= 4) counts[kind - 1]++;
        for (int k = 0; k < 4; k++) {
            if (counts[k] != landmark_counts[i].counts[k])
                fprintf(stderr, "%s: %d landmarks of kind %d, want %d\n", landmark_counts[i].name, counts[k],
                        k + 1, landmark_counts[i].counts[k]);
            CHECK(counts[k] == landmark_counts[i].counts[k]);
        }
        gdlab_surface_free(s);
    }
}

/* Analytic facts that pin the formulas down beyond "the derivatives agree with f". */
static void formulas_match_their_definitions(void)
{
    const double p[2] = {0.7, -1.3};
    double g[SC_MAX_DIM];
    gdlab_surface *s = make(find("rosenbrock"), NULL, 0);
    CHECK_CLOSE(gdlab_surface_eval(s, p, g), 0.09 + 100.0 * pow(-1.3 - 0.49, 2), 1e-14);
    gdlab_surface_free(s);
    s = make(find("saddle"), NULL, 0);
    CHECK_CLOSE(gdlab_surface_eval(s, p, g), 0.49 - 1.69, 1e-14);
    gdlab_surface_free(s);
    s = make(find("multimodal"), NULL, 0);
    CHECK_CLOSE(gdlab_surface_eval(s, p, g), sin(0.7) * cos(-1.3) + 0.1 * (0.49 + 1.69), 1e-14);
    gdlab_surface_free(s);
    s = make(find("ackley"), NULL, 0); /* f(1, 1) = 20 − 20·e^−0.2, the cosines being 1 */
    CHECK_CLOSE(gdlab_surface_eval(s, (const double[]){1.0, 1.0}, g), 20.0 - 20.0 * exp(-0.2), 1e-13);
    gdlab_surface_free(s);
    s = make(find("rastrigin"), "dim", 3); /* f(0.5, 0.5, 0.5) = 10·3 + 3·(0.25 + 10) */
    CHECK_CLOSE(gdlab_surface_eval(s, (const double[]){0.5, 0.5, 0.5}, g), 60.75, 1e-14);
    gdlab_surface_free(s);
    s = make(find("ravine"), "kappa", 100.0);
    double h[4];
    CHECK(gdlab_surface_hessian(s, p, h) == 0);
    CHECK(h[0] == 1.0 && h[3] == 100.0 && h[1] == 0.0);
    gdlab_surface_free(s);
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    every_surface_has_exact_derivatives_and_true_landmarks();
    global_minima_match_the_literature();
    landmark_lists_are_complete();
    formulas_match_their_definitions();
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
