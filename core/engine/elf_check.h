/* elf_check.h — is a file a complete shared object for this machine? (core/engine/elf_check.c) */
#ifndef GDLAB_ELF_CHECK_H
#define GDLAB_ELF_CHECK_H

#include <stddef.h>

/* 0 if the file looks like a whole ELF shared object of this machine's class and architecture;
 * -1 with the reason in err otherwise. */
int gdlab_elf_check(const char *path, char *err, size_t errlen);

#endif
