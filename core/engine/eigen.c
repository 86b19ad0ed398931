/* eigen.c — eigenvalues of a small symmetric matrix by cyclic Jacobi rotations.
 * Each rotation zeroes one off-diagonal pair; sweeps repeat until the off-diagonal mass is negligible
 * (Golub & Van Loan, "Matrix Computations", §8.5, the classical rotation formulas). */
#include <math.h>
#include <stdlib.h>

#include "eigen.h"

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int gdlab_symmetric_eigenvalues(double *a, size_t n, double *lambda)
{
    for (size_t i = 0; i < n * n; i++)
        if (!isfinite(a[i])) {
            for (size_t k = 0; k < n; k++)
                lambda[k] = NAN;
            return -1;
        }
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0, total = 0;
        for (size_t p = 0; p < n; p++)
            for (size_t q = 0; q < n; q++) {
                total += a[p * n + q] * a[p * n + q];
                if (p != q) off += a[p * n + q] * a[p * n + q];
            }
        if (off <= 1e-30 * total || off == 0) break;
        for (size_t p = 0; p + 1 < n; p++)
            for (size_t q = p + 1; q < n; q++) {
                const double apq = a[p * n + q];
                if (apq == 0) continue;
                /* the rotation angle that zeroes a[p][q]: t = tan θ, the smaller root */
                const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                const double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                const double c = 1 / sqrt(t * t + 1), s = t * c;
                for (size_t k = 0; k < n; k++) { /* columns p and q */
                    const double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (size_t k = 0; k < n; k++) { /* rows p and q */
                    const double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
            }
    }
    for (size_t k = 0; k < n; k++)
        lambda[k] = a[k * n + k];
    qsort(lambda, n, sizeof *lambda, compare_doubles);
    return 0;
}
