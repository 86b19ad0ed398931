/* SPDX-License-Identifier: MIT */
/* newton — Newton's method with an optional Levenberg-style damping:
 *
 *   x ← x − lr·(H + damping·I)⁻¹·g          (H: the Hessian at x, through the oracle)
 *
 * On a quadratic with lr = 1 and damping = 0 it lands on the stationary point in one step. Newton
 * heads for the stationary point of the local quadratic model whatever its kind: where H is not
 * positive definite that is a saddle or a maximum. damping > 0 shifts every eigenvalue of H up,
 * blending the step towards gradient descent with rate 1/damping.
 * The linear system is solved by Gaussian elimination with partial pivoting; a (nearly) singular
 * matrix is an error rather than a wild step.
 * Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006, eq. 2.15 and Section 3.4;
 * Levenberg, Quart. Appl. Math. 2, 1944. */
#include <gdlab/plugin.h>
#include <float.h>
#include <math.h>
#include <string.h>

static const gdlab_param params[] = {
    {"lr", 1.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "step length along the Newton direction (1: the full step)", NULL},
    {"damping", 0.0, 0.0, HUGE_VAL, 0, "added to the Hessian's diagonal before solving", NULL},
};
enum { LR, DAMPING };

static const gdlab_internal internals[] = {
    {"direction", 1, "(H + damping*I)^-1 * g: the step taken was -lr*direction"},
    {"decrement", 0, "g.direction: the Newton decrement squared (half of it predicts f - f_min)"},
};

typedef struct {
    double decrement;
    double buf[]; /* the matrix (dim²), then the direction (dim) */
} newton;

static size_t newton_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(newton) + (dim * dim + dim) * sizeof(double);
}

/* Solves A·z = b in place (z overwrites b; A is destroyed). -1 when A is singular to rounding. */
static int solve(double *A, double *b, size_t n)
{
    double scale = 0.0;
    for (size_t i = 0; i < n * n; i++)
        scale = fmax(scale, fabs(A[i]));
    for (size_t col = 0; col < n; col++) {
        size_t pivot = col;
        for (size_t r = col + 1; r < n; r++)
            if (fabs(A[r * n + col]) > fabs(A[pivot * n + col])) pivot = r;
        if (!(fabs(A[pivot * n + col]) > (double)n * DBL_EPSILON * scale)) return -1;
        if (pivot != col) {
            for (size_t c = 0; c < n; c++) {
                const double tmp = A[col * n + c];
                A[col * n + c] = A[pivot * n + c], A[pivot * n + c] = tmp;
            }
            const double tmp = b[col];
            b[col] = b[pivot], b[pivot] = tmp;
        }
        for (size_t r = col + 1; r < n; r++) {
            const double factor = A[r * n + col] / A[col * n + col];
            for (size_t c = col; c < n; c++)
                A[r * n + c] -= factor * A[col * n + c];
            b[r] -= factor * b[col];
        }
    }
    for (size_t r = n; r-- > 0;) {
        double sum = b[r];
        for (size_t c = r + 1; c < n; c++)
            sum -= A[r * n + c] * b[c];
        b[r] = sum / A[r * n + r];
    }
    return 0;
}

static const char *newton_step(void *state, const double *p, gdlab_step *s)
{
    newton *st = state;
    const size_t n = s->dim;
    double *A = st->buf, *direction = A + n * n;
    if (s->oracle->hessian(s->oracle->host, s->x, A) != 0)
        return "newton needs the Hessian, and this surface has none (try bfgs or lbfgs, which build "
               "one from gradients)";
    for (size_t i = 0; i < n; i++)
        A[i * n + i] += p[DAMPING];
    memcpy(direction, s->grad, n * sizeof(double));
    if (solve(A, direction, n))
        return "the Hessian (plus damping) is singular here, so the Newton step is undefined: raise "
               "damping";
    st->decrement = 0.0;
    for (size_t i = 0; i < n; i++) {
        st->decrement += s->grad[i] * direction[i];
        s->x[i] -= s->lr * direction[i];
    }
    return NULL;
}

static void newton_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const newton *st = state;
    memcpy(out, st->buf + dim * dim, dim * sizeof(double));
    out[dim] = st->decrement;
}

static const gdlab_optimizer_desc newton_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "newton",
                      "Newton's method, optionally damped: x -= lr*(H + damping*I)^-1*g",
                      "x ← x − lr·(H + damping·I)⁻¹·g   (H: Hessian through the oracle)\n"
                      "One step to the minimum of a quadratic (lr = 1, damping = 0). Seeks any\n"
                      "stationary point: saddles and maxima too where H is not positive definite.\n"
                      "Needs a surface with a Hessian.\n"
                      "Reference: Nocedal & Wright, Numerical Optimization (2006), eq. 2.15, §3.4.",
                      params),
    .state_size = newton_state_size,
    .step = newton_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = newton_read_internals,
};
GDLAB_PLUGIN(newton_desc)
