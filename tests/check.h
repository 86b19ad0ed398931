/* SPDX-License-Identifier: MIT */
/* check.h — the few assertions gdlab's C tests need. A failed check prints file:line and the values,
 * counts as a failure, and the test goes on; main returns CHECK_RESULT(), non-zero if any failed. */
#ifndef GDLAB_CHECK_H
#define GDLAB_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures, check_count;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

/* |got - want| <= rel * max(|want|, tiny) */
#define CHECK_CLOSE(got, want, rel)                                                                \
    do {                                                                                           \
        double got_ = (got), want_ = (want), rel_ = (rel);                                         \
        double scale_ = fabs(want_) > 1e-300 ? fabs(want_) : 1e-300;                               \
        check_count++;                                                                             \
        if (!(fabs(got_ - want_) <= rel_ * scale_)) {                                              \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s = %.17g, want %.17g (rel err %.3g > %.3g)\n", __FILE__,     \
                    __LINE__, #got, got_, want_, fabs(got_ - want_) / scale_, rel_);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR_CONTAINS(haystack, needle)                                                       \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        check_count++;                                                                             \
        if (!h_ || !strstr(h_, n_)) {                                                              \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,         \
                    h_ ? h_ : "(null)", n_);                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_RESULT()                                                                             \
    (printf("%d checks, %d failed\n", check_count, check_failures), check_failures != 0)

#endif
