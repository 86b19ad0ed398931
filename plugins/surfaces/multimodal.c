/* SPDX-License-Identifier: MIT */
/* multimodal — f(x, y) = sin x·cos y + 0.1·(x² + y²), the seeds' "multimodal loss" on [−3, 3]².
 * Three minima, four saddles and a maximum inside the box; from the default start (2, −1) plain GD
 * settles in the local minimum at (1.27, −2.57), not the global one at (−1.31, 0). */
#include <gdlab/plugin.h>
#include <math.h>

/* Critical points in [−3, 3]², located by Newton's method in 40-digit arithmetic (mpmath) from a
 * 41 × 41 grid of starts and classified by the eigenvalues of the Hessian. */
static const struct {
    int kind;
    double x, y;
} landmarks[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, -1.3064400083695109598, 0.0},
    {GDLAB_LANDMARK_LOCAL_MIN, 1.26551354906476888, 2.5719535574342798398},
    {GDLAB_LANDMARK_LOCAL_MIN, 1.26551354906476888, -2.5719535574342798398},
    {GDLAB_LANDMARK_SADDLE, 0.33547151047966501167, 1.6419115188491759715},
    {GDLAB_LANDMARK_SADDLE, 0.33547151047966501167, -1.6419115188491759715},
    {GDLAB_LANDMARK_SADDLE, 2.9074250679139448515, 0.93004203858510386834},
    {GDLAB_LANDMARK_SADDLE, 2.9074250679139448515, -0.93004203858510386834},
    {GDLAB_LANDMARK_MAX, 1.9773830293288409831, 0.0},
};

static double multimodal_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    const double sx = sin(x[0]), cx = cos(x[0]), sy = sin(x[1]), cy = cos(x[1]);
    if (grad) {
        grad[0] = cx * cy + 0.2 * x[0];
        grad[1] = -sx * sy + 0.2 * x[1];
    }
    return sx * cy + 0.1 * (x[0] * x[0] + x[1] * x[1]);
}

static void multimodal_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    const double sxcy = sin(x[0]) * cos(x[1]);
    h[0] = h[3] = 0.2 - sxcy;
    h[1] = h[2] = -cos(x[0]) * sin(x[1]);
}

static void multimodal_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -3.0;
    hi[0] = hi[1] = 3.0;
}

static void multimodal_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 2.0, x0[1] = -1.0;
}

static int multimodal_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i >= GDLAB_COUNT_OF(landmarks)) return GDLAB_LANDMARK_END;
    x[0] = landmarks[i].x, x[1] = landmarks[i].y;
    return landmarks[i].kind;
}

static const gdlab_surface_desc multimodal_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "multimodal",
                                "the seeds' sin x·cos y + 0.1(x² + y²)",
                                "f(x, y) = sin(x)·cos(y) + 0.1·(x² + y²)\n"
                                "Global minimum f(−1.30644, 0) = −0.794582; local minima at (1.26551, ±2.57195),\n"
                                "f = 0.0184881; saddles at (0.335472, ±1.64191) and (2.90743, ±0.930042);\n"
                                "maximum at (1.97738, 0). Source: the week-01 notebook of the seed material."),
    .dim = 2,
    .eval = multimodal_eval,
    .hessian = multimodal_hessian,
    .domain = multimodal_domain,
    .start = multimodal_start,
    .landmark = multimodal_landmark,
};
GDLAB_PLUGIN(multimodal_desc)
