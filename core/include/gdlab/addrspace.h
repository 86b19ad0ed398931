/* SPDX-License-Identifier: MIT */
/* gdlab/addrspace.h — living under an address-space limit (RLIMIT_AS, the shell's `ulimit -v`).
 *
 * Such a limit counts every mapping, reserved or used: thread stacks, glibc's per-thread malloc
 * arenas, shared libraries. Some libraries below PLplot (fontconfig, GLib under pango) do not survive
 * running out of it, so gdlab checks before it starts them (core/figure/headroom.c) and spends the
 * space it has with care. docs/reliability.md ("Memory") says what gdlab promises under a limit. */
#ifndef GDLAB_ADDRSPACE_H
#define GDLAB_ADDRSPACE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

/* The soft limit in bytes, or 0 when there is none. */
size_t gdlab_address_space_limit(void);

/* Bytes of address space the process holds now (every mapping, as the limit counts them). */
size_t gdlab_address_space_used(void);

/* 1 when a reservation of bytes fits under the limit now (always 1 without a limit), else 0. */
int gdlab_address_space_fits(size_t bytes);

/* Under a limit, make glibc's malloc serve every thread from its one main arena. Call it once, early,
 * before threads start (the Lua module's luaopen does); without a limit it does nothing. */
void gdlab_address_space_adapt(void);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
