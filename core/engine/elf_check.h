/* SPDX-License-Identifier: MIT */
/* elf_check.h — is a file a complete shared object for this machine? (core/engine/elf_check.c) */
#ifndef GDLAB_ELF_CHECK_H
#define GDLAB_ELF_CHECK_H

#include <stddef.h>

/* 0 if the open file fd looks like a whole ELF shared object of this machine's class and
 * architecture; -1 with the reason in err otherwise. Reads with pread: the offset is not moved. */
int gdlab_elf_check(int fd, char *err, size_t errlen);

#endif
