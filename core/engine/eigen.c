/* SPDX-License-Identifier: MIT */
/* eigen.c — eigenvalues of a small symmetric matrix, ascending, by the cyclic Jacobi rotations of
 * <gdlab/symmetric_eigen.h> (shared with the plugins that need eigenvalues). */
#include <math.h>
#include <stdlib.h>

#include "eigen.h"
#include "gdlab/symmetric_eigen.h"

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
    gdlab_jacobi(a, n, NULL);
    for (size_t k = 0; k < n; k++)
        lambda[k] = a[k * n + k];
    qsort(lambda, n, sizeof *lambda, compare_doubles);
    return 0;
}
