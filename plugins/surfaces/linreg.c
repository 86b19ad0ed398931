/* SPDX-License-Identifier: MIT */
/* linreg — least squares for a line, the loss of a two-parameter model, with mini-batch gradients.
 *
 *   f(w, b) = (1/n)·Σᵢ (w·xᵢ + b − yᵢ)²,   yᵢ = true_w·xᵢ + true_b + noise·εᵢ
 *
 * over n points with xᵢ uniform in [−2, 2] and εᵢ standard normal, made from `seed` alone: point i is
 * a pure function of (seed, i) through the splitmix64 mixer, so no table is stored and nothing is
 * global. eval is the full loss; eval_sample the loss and gradient over `batch` points drawn
 * uniformly with replacement, chosen by the host's draw number, so a run with a given seed is
 * reproducible. The minimum is the least-squares line (closed form, computed at init), not
 * (true_w, true_b): the noise moves it.
 * Reference: splitmix64 from G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014 (constants as in Vigna's public-domain splitmix64.c); Box–Muller,
 * Ann. Math. Statist. 29(2), 1958. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"n", 64, 2, 100000, GDLAB_PARAM_INTEGER | GDLAB_PARAM_LOG, "number of data points", NULL},
    {"batch", 8, 1, 100000, GDLAB_PARAM_INTEGER | GDLAB_PARAM_LOG,
     "points per mini-batch gradient (at most n)", NULL},
    {"seed", 1, 0, 9007199254740991.0, GDLAB_PARAM_INTEGER, "which data set", NULL},
    {"true_w", 2.0, -100, 100, 0, "slope of the line the data come from", NULL},
    {"true_b", -1.0, -100, 100, 0, "intercept of the line the data come from", NULL},
    {"noise", 0.5, 0, 100, 0, "standard deviation of the noise on y", NULL},
};
enum { N, BATCH, SEED, TRUE_W, TRUE_B, NOISE };

typedef struct {
    uint64_t seed;
    size_t n, batch;
    double true_w, true_b, noise;
    double w_min, b_min;   /* the least-squares solution */
    double sxx, sx;        /* Σx², Σx: the (constant) Hessian is (2/n)·[[Σx², Σx], [Σx, n]] */
} linreg;

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The k-th uniform number in [0, 1) of stream (a, b): 53 random bits. */
static double uniform(uint64_t a, uint64_t b, uint64_t k)
{
    const uint64_t z = mix(mix(a + 0x9e3779b97f4a7c15ull * (b + 1)) + 0x9e3779b97f4a7c15ull * (k + 1));
    return (double)(z >> 11) * 0x1.0p-53;
}

/* Data point i of the set. */
static void point(const linreg *r, size_t i, double *x, double *y)
{
    *x = -2.0 + 4.0 * uniform(r->seed, i, 0);
    const double u1 = 1.0 - uniform(r->seed, i, 1), u2 = uniform(r->seed, i, 2); /* u1 in (0, 1] */
    const double normal = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
    *y = r->true_w * *x + r->true_b + r->noise * normal;
}

static const char *linreg_init(void *state, const double *p, size_t dim)
{
    (void)dim;
    if (p[BATCH] > p[N]) return "batch must not exceed n";
    linreg *r = state;
    *r = (linreg){(uint64_t)p[SEED], (size_t)p[N], (size_t)p[BATCH], p[TRUE_W], p[TRUE_B], p[NOISE],
                  0, 0, 0, 0};
    double sy = 0, sxy = 0;
    for (size_t i = 0; i < r->n; i++) {
        double x, y;
        point(r, i, &x, &y);
        r->sx += x, r->sxx += x * x, sy += y, sxy += x * y;
    }
    const double n = (double)r->n, det = n * r->sxx - r->sx * r->sx;
    if (!(det > 0)) return "the data points all have the same x: no unique line (change seed or n)";
    r->w_min = (n * sxy - r->sx * sy) / det; /* the normal equations, solved by Cramer's rule */
    r->b_min = (r->sxx * sy - r->sx * sxy) / det;
    return NULL;
}

/* Mean squared error and its gradient over `count` points: all n in order, or (sampled) drawn with
 * replacement by the draw number. */
static double mse(const linreg *r, const double *wb, double *grad, size_t count, uint64_t draw,
                  int sampled)
{
    double loss = 0, gw = 0, gb = 0;
    for (size_t k = 0; k < count; k++) {
        const size_t i = sampled ? (size_t)(uniform(draw, 0, k) * (double)r->n) : k;
        double x, y;
        point(r, i, &x, &y);
        const double residual = wb[0] * x + wb[1] - y;
        loss += residual * residual;
        gw += residual * x, gb += residual;
    }
    if (grad) {
        grad[0] = 2.0 * gw / (double)count;
        grad[1] = 2.0 * gb / (double)count;
    }
    return loss / (double)count;
}

static double linreg_eval(const void *state, const double *x, double *grad)
{
    const linreg *r = state;
    return mse(r, x, grad, r->n, 0, 0);
}

static double linreg_eval_sample(const void *state, const double *x, double *grad, uint64_t draw)
{
    const linreg *r = state;
    return mse(r, x, grad, r->batch, draw, 1);
}

static void linreg_hessian(const void *state, const double *x, double *h)
{
    (void)x;
    const linreg *r = state;
    const double n = (double)r->n;
    h[0] = 2.0 * r->sxx / n;
    h[1] = h[2] = 2.0 * r->sx / n;
    h[3] = 2.0;
}

static void linreg_domain(const void *state, double *lo, double *hi)
{
    const linreg *r = state;
    lo[0] = r->w_min - 4.0, hi[0] = r->w_min + 4.0;
    lo[1] = r->b_min - 4.0, hi[1] = r->b_min + 4.0;
}

static void linreg_start(const void *state, double *x0)
{
    const linreg *r = state;
    x0[0] = r->w_min - 3.0, x0[1] = r->b_min + 2.5;
}

static int linreg_landmark(const void *state, size_t i, double *x)
{
    const linreg *r = state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = r->w_min, x[1] = r->b_min;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc linreg_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "linreg",
                      "mean squared error of a line y = w*x + b, with mini-batch gradients",
                      "f(w, b) = (1/n)·Σ (w·xᵢ + b − yᵢ)²,  yᵢ = true_w·xᵢ + true_b + noise·N(0, 1),\n"
                      "xᵢ uniform in [−2, 2], all from `seed` (splitmix64). Mini-batch gradients over\n"
                      "`batch` points drawn with replacement, chosen by the run's seed and step.\n"
                      "Minimum: the least-squares line. Hessian (2/n)·[[Σx², Σx], [Σx, n]].",
                      params),
    .dim = 2,
    .state_size = sizeof(linreg),
    .init = linreg_init,
    .eval = linreg_eval,
    .hessian = linreg_hessian,
    .domain = linreg_domain,
    .start = linreg_start,
    .landmark = linreg_landmark,
    .eval_sample = linreg_eval_sample,
};
GDLAB_PLUGIN(linreg_desc)
