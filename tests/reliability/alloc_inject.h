/* SPDX-License-Identifier: MIT */
/* alloc_inject.h — a malloc that fails on demand, for the out-of-memory tests (test_alloc_faults.c,
 * test_lua_alloc_faults.c; docs/reliability.md, "Memory").
 *
 * alloc_inject.c defines malloc, calloc, realloc, free, strdup and strndup in the test program, so every
 * allocation of the process comes there first and is passed on to glibc's allocator. When armed, the
 * N-th counted allocation from now fails with ENOMEM: only that one ("once": a transient failure the
 * code must survive) or that one and every later counted one ("from then on": memory stays exhausted).
 * Not available in the sanitizer build: AddressSanitizer's runtime allocates before its interceptors
 * could serve a malloc of the program's own. */
#ifndef ALLOC_INJECT_H
#define ALLOC_INJECT_H

#include <stddef.h>

/* The n-th counted allocation from now fails (n >= 1), and with keep_failing every later one too. */
void alloc_inject_arm(long n, int keep_failing);
/* Disarm; 1 when the failure came. */
int alloc_inject_disarm(void);
/* Counted allocations since armed (arm with LONG_MAX to count without failing). */
long alloc_inject_counted(void);
/* Blocks handed out and not yet freed, by anyone. */
long alloc_inject_live(void);
/* From now on count (and fail) only allocations made by gdlab's own code: called from the program itself
 * or from a loaded libgdlab*.so, directly or through a C library function (strdup, open_memstream,
 * fopen ...). Libraries below gdlab (PLplot, cairo, pango, fontconfig, FFmpeg, Lua) do not check all of
 * their allocations, so failing theirs would test them, not gdlab. Call after those libraries are loaded. */
void alloc_inject_only_gdlab(void);
/* Print the stack of every failed allocation on stderr (to find its caller). */
void alloc_inject_trace(int on);
/* glibc's allocator, outside the count: for the test's own buffers. */
void *alloc_inject_real_malloc(size_t n);
void *alloc_inject_real_realloc(void *p, size_t n);
void alloc_inject_real_free(void *p);

#endif
