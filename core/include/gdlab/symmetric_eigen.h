/* SPDX-License-Identifier: MIT */
/*
 * gdlab/symmetric_eigen.h — eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi
 * rotations (Golub & Van Loan, "Matrix Computations", §8.5, the classical rotation formulas).
 *
 * Header-only, like <gdlab/line_search.h>: a plugin .so must not depend on libgdlab, so code that
 * plugins share lives in static inline functions. libgdlab uses it too (core/engine/eigen.c: the
 * Hessian's extreme eigenvalues along a path), so there is one Jacobi in gdlab. Users:
 * plugins/optimizers/heavy_ball_optimal.c (eigenvalues), shampoo.c (eigenvectors too); the surface tests
 * (tests/surfaces/surface_checks.h: a landmark's kind from its Hessian).
 *
 * For the small n of loss surfaces (2 to a few dozen) it is exact to rounding and simple.
 */
#ifndef GDLAB_SYMMETRIC_EIGEN_H
#define GDLAB_SYMMETRIC_EIGEN_H

#include <math.h>
#include <stddef.h>

/* Diagonalises the symmetric n x n row-major matrix a in place: afterwards a[i*n + i] are the
 * eigenvalues (unordered). When v is not NULL it receives the eigenvectors, column i for eigenvalue
 * i (row-major n x n). a must be finite. */
static inline void gdlab_jacobi(double *a, size_t n, double *v)
{
    if (v)
        for (size_t i = 0; i < n * n; i++)
            v[i] = i % (n + 1) == 0 ? 1.0 : 0.0;
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
                for (size_t k = 0; v && k < n; k++) { /* V ← V·J: the same column rotation */
                    const double vkp = v[k * n + p], vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
    }
}

#endif /* GDLAB_SYMMETRIC_EIGEN_H */
