/* SPDX-License-Identifier: MIT */
/* eigen.h — eigenvalues of small symmetric matrices (core/engine/eigen.c). */
#ifndef GDLAB_EIGEN_H
#define GDLAB_EIGEN_H

#include <stddef.h>

/* The eigenvalues of the symmetric n x n row-major matrix a, ascending, into lambda. a is overwritten.
 * Cyclic Jacobi rotations: for the small n of loss surfaces (2 to a few dozen) exact to rounding and
 * simple. Returns 0, or -1 if a holds a non-finite value (lambda is then all NaN). */
int gdlab_symmetric_eigenvalues(double *a, size_t n, double *lambda);

#endif
