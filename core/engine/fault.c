/* SPDX-License-Identifier: MIT */
/* fault.c — a crash inside a plugin says which plugin and which call, then the process dies as it
 * would have (same signal, same core dump, same exit status for the shell).
 *
 * Plugins run in-process, so gdlab cannot survive a plugin that writes through a wild pointer; what
 * it can do is name the culprit. The handler runs on its own stack (sigaltstack; the installing
 * thread's is static, every other thread gets one at its first plugin call, freed when it exits), so a
 * stack overflow is reported too, and uses only async-signal-safe calls: it formats into a static buffer, write()s it
 * to stderr, puts back the action that was there before it (the default one, or a sanitizer's) and
 * returns, so the faulting instruction faults again under that action. A signal sent by kill() is
 * raised again instead, since returning would not repeat it.
 *
 * The plugin and call come from the thread-local marker of plugin_call.h; the file from a table the
 * registry fills as it loads plugins (read by the handler without a lock: slots are only published
 * whole, with release stores). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdlab/gdlab.h"
#include "plugin_call.h"

_Thread_local const gdlab_plugin_call *gdlab_current_call;
_Thread_local char gdlab_thread_fault_ready;
static atomic_int installed;

/* ---- which file each loaded plugin came from ---------------------------------------------------- */
enum { MAX_FILES = 1024 };
static struct {
    _Atomic(const gdlab_header *) plugin;
    const char *_Atomic file;
} files[MAX_FILES];
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;

void gdlab_fault_note_file(const gdlab_header *plugin, const char *file)
{
    pthread_mutex_lock(&files_lock);
    for (size_t i = 0; i < MAX_FILES; i++)
        if (!atomic_load_explicit(&files[i].plugin, memory_order_relaxed)) {
            atomic_store_explicit(&files[i].file, file, memory_order_relaxed);
            atomic_store_explicit(&files[i].plugin, plugin, memory_order_release);
            break;
        }
    pthread_mutex_unlock(&files_lock); /* a full table only costs the file name in a crash message */
}

void gdlab_fault_forget_file(const gdlab_header *plugin)
{
    pthread_mutex_lock(&files_lock);
    for (size_t i = 0; i < MAX_FILES; i++)
        if (atomic_load_explicit(&files[i].plugin, memory_order_relaxed) == plugin)
            atomic_store_explicit(&files[i].plugin, NULL, memory_order_release);
    pthread_mutex_unlock(&files_lock);
}

static const char *file_of(const gdlab_header *plugin)
{
    for (size_t i = 0; plugin && i < MAX_FILES; i++)
        if (atomic_load_explicit(&files[i].plugin, memory_order_acquire) == plugin)
            return atomic_load_explicit(&files[i].file, memory_order_relaxed);
    return NULL;
}

/* ---- the message, built without malloc or stdio -------------------------------------------------- */
static char message[2048];
static size_t message_len;

static void put(const char *s)
{
    while (s && *s && message_len < sizeof message - 1) message[message_len++] = *s++;
}

static const char *signal_text(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (invalid memory access, or a stack overflow)";
    case SIGBUS: return "SIGBUS (bad memory access: a truncated file, misaligned data)";
    case SIGFPE: return "SIGFPE (arithmetic fault: an integer division by zero)";
    case SIGILL: return "SIGILL (illegal instruction)";
    default: return "a fatal signal";
    }
}

static void put_call(const gdlab_plugin_call *c)
{
    if (c->plugin) {
        put(c->plugin->kind == GDLAB_KIND_SURFACE ? "the surface '" : "the optimizer '");
        put(c->plugin->name);
        put("'");
    } else {
        put("a plugin");
    }
    const char *file = c->file ? c->file : file_of(c->plugin);
    if (file) {
        put(" (");
        put(file);
        put(")");
    }
    put(", in its ");
    put(c->call);
    put(c->plugin ? " function" : "");
}

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
enum { N_FATAL = sizeof fatal_signals / sizeof fatal_signals[0] };
static struct sigaction previous[N_FATAL];

static void on_fatal_signal(int sig, siginfo_t *info, void *context)
{
    (void)context;
    const gdlab_plugin_call *c = gdlab_current_call;
    message_len = 0;
    put("gdlab: fatal signal ");
    put(signal_text(sig));
    if (c) {
        put(" inside ");
        put_call(c);
        for (const gdlab_plugin_call *o = c->outer; o; o = o->outer) {
            put(",\ngdlab:   called from ");
            put_call(o);
        }
        if (c->file || file_of(c->plugin))
            put(".\ngdlab: the fault is in that plugin, not in gdlab; `gdlab --check-plugin FILE` exercises it "
                "in a separate process and reports what goes wrong\n");
        else /* no file: a surface gdlab made itself (a formula, a Lua function) */
            put(".\ngdlab: that surface was made by gdlab itself (a formula or a Lua function): a bug in gdlab, "
                "please report it\n");
    } else {
        put(" outside any plugin call: a bug in gdlab or a library it uses\n");
    }
    ssize_t ignored = write(STDERR_FILENO, message, message_len);
    (void)ignored;
    for (size_t i = 0; i < N_FATAL; i++)
        if (fatal_signals[i] == sig) sigaction(sig, &previous[i], NULL);
    if (info->si_code <= 0) raise(sig); /* sent, not caused by an instruction: send it again */
}

/* ---- a signal stack per thread, for stack overflows -------------------------------------------- */
enum { ALT_STACK_SIZE = 128 * 1024 };
static pthread_key_t alt_stack_key;
static pthread_once_t alt_stack_once = PTHREAD_ONCE_INIT;

/* At the exit of a thread that was given a stack: stop using it, then free it. */
static void free_alt_stack(void *stack)
{
    const stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    free(stack);
}

static void make_alt_stack_key(void)
{
    pthread_key_create(&alt_stack_key, free_alt_stack);
}

void gdlab_fault_thread_init(void)
{
    gdlab_thread_fault_ready = 1;
    stack_t now;
    if (!atomic_load(&installed) || sigaltstack(NULL, &now) != 0 || !(now.ss_flags & SS_DISABLE)) return;
    pthread_once(&alt_stack_once, make_alt_stack_key);
    void *stack = malloc(ALT_STACK_SIZE);
    const stack_t alt = {.ss_sp = stack, .ss_size = ALT_STACK_SIZE, .ss_flags = 0};
    if (!stack || pthread_setspecific(alt_stack_key, stack) != 0 || sigaltstack(&alt, NULL) != 0) {
        pthread_setspecific(alt_stack_key, NULL);
        free(stack); /* no stack: other faults on this thread are still reported */
    }
}

int gdlab_fault_report_install(void)
{
    if (atomic_load(&installed)) return 0;
    /* the calling thread's stack; every other thread gets its own at its first plugin call */
    static _Alignas(16) char alt_stack[ALT_STACK_SIZE];
    const stack_t alt = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    if (sigaltstack(&alt, NULL) != 0) return -1;
    gdlab_thread_fault_ready = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FATAL; i++)
        if (sigaction(fatal_signals[i], &sa, &previous[i]) != 0) return -1;
    atomic_store(&installed, 1);
    return 0;
}
