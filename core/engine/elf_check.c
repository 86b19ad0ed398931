/* SPDX-License-Identifier: MIT */
/* elf_check.c — refuse truncated or foreign shared objects before dlopen sees them.
 *
 * dlopen maps a library's segments straight from the file: a truncated file maps pages past its end,
 * and the first touch of one kills the process with SIGBUS instead of returning an error. Checking
 * that every header and loadable segment lies inside the file turns that crash into a message. */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_check.h"

#if defined(__LP64__)
typedef Elf64_Ehdr elf_ehdr;
typedef Elf64_Phdr elf_phdr;
#define GDLAB_ELF_CLASS ELFCLASS64
#else
typedef Elf32_Ehdr elf_ehdr;
typedef Elf32_Phdr elf_phdr;
#define GDLAB_ELF_CLASS ELFCLASS32
#endif

#if defined(__x86_64__)
#define GDLAB_ELF_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define GDLAB_ELF_MACHINE EM_AARCH64
#elif defined(__i386__)
#define GDLAB_ELF_MACHINE EM_386
#elif defined(__riscv)
#define GDLAB_ELF_MACHINE EM_RISCV
#endif

static int reason(char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s", what);
    return -1;
}

/* Reads exactly len bytes at offset; 0 or -1. */
static int read_at(int fd, void *buf, size_t len, unsigned long long offset)
{
    return pread(fd, buf, len, (off_t)offset) == (ssize_t)len ? 0 : -1;
}

int gdlab_elf_check(int fd, char *err, size_t errlen)
{
    struct stat st;
    elf_ehdr eh;
    if (fstat(fd, &st) != 0 || read_at(fd, &eh, sizeof eh, 0) != 0)
        return reason(err, errlen, "not an ELF shared object (too short)");
    const unsigned long long size = (unsigned long long)st.st_size;
    int r = 0;
    if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
        r = reason(err, errlen, "not an ELF shared object");
    } else if (eh.e_ident[EI_CLASS] != GDLAB_ELF_CLASS) {
        r = reason(err, errlen, "built for another word size (32/64-bit) than this gdlab");
#ifdef GDLAB_ELF_MACHINE
    } else if (eh.e_machine != GDLAB_ELF_MACHINE) {
        r = reason(err, errlen, "built for another processor architecture");
#endif
    } else if (eh.e_type != ET_DYN) {
        r = reason(err, errlen, "not a shared object (build it as a MODULE or SHARED library)");
    } else if (eh.e_phentsize != sizeof(elf_phdr) ||
               eh.e_phoff + (unsigned long long)eh.e_phnum * sizeof(elf_phdr) > size ||
               eh.e_shoff + (unsigned long long)eh.e_shnum * eh.e_shentsize > size) {
        snprintf(err, errlen, "truncated or corrupt: its headers reach past the end of the file "
                 "(%llu bytes)", size);
        r = -1;
    }
    for (unsigned i = 0; r == 0 && i < eh.e_phnum; i++) {
        elf_phdr ph;
        if (read_at(fd, &ph, sizeof ph, eh.e_phoff + i * sizeof ph) != 0) {
            r = reason(err, errlen, "truncated or corrupt: unreadable program header");
        } else if (ph.p_type == PT_LOAD && ph.p_offset + (unsigned long long)ph.p_filesz > size) {
            snprintf(err, errlen, "truncated: segment %u ends at byte %llu but the file has %llu", i,
                     (unsigned long long)(ph.p_offset + ph.p_filesz), size);
            r = -1;
        }
    }
    return r;
}
