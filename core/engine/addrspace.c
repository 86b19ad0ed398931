/* SPDX-License-Identifier: MIT */
/* addrspace.c — the address-space limit (gdlab/addrspace.h): how much there is, how much is used,
 * whether a given amount still fits, and glibc's arenas under it. */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <malloc.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gdlab/addrspace.h"

size_t gdlab_address_space_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_AS, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return 0;
    return (size_t)r.rlim_cur;
}

size_t gdlab_address_space_used(void)
{
    unsigned long pages = 0; /* the first field of statm: every mapping, in pages */
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (fscanf(f, "%lu", &pages) != 1) pages = 0;
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* The limit counts a PROT_NONE, MAP_NORESERVE mapping as it counts any other, and the kernel refuses
 * one that does not fit: reserving the amount and giving it back asks exactly "does it fit now?",
 * without touching a page. */
int gdlab_address_space_fits(size_t bytes)
{
    if (!gdlab_address_space_limit() || bytes == 0) return 1;
    void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return 0;
    munmap(p, bytes);
    return 1;
}

/* glibc gives each thread that allocates its own arena, reserved 64 MB at a time (HEAP_MAX_SIZE on
 * 64-bit) and never returned. Without a limit that costs nothing real; under one, a sweep's worker
 * threads and pango's font threads (three at the first text) each took 64 MB, and which reservation
 * happened to fit decided whether fontconfig later ran out: crashes came and went between 196 MB and
 * 350 MB. With one arena every thread allocates from the main heap, which grows only as it is used. */
void gdlab_address_space_adapt(void)
{
    if (gdlab_address_space_limit()) mallopt(M_ARENA_MAX, 1);
}
