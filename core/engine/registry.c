/* SPDX-License-Identifier: MIT */
/* registry.c — finding, loading and validating plugins.
 *
 * Files are opened and loaded by loader.c under gdlab's loading policy (trusted folders, regular
 * files only, the checked file is the loaded one). Before the host reads any table a descriptor points
 * to, image.c checks that the table lies inside the plugin's own memory.
 *
 * Every descriptor a plugin hands over is copied into a zero-filled host-sized struct, reading no byte
 * beyond the plugin's own `size`. That is the one place the "members are only appended" rule is
 * applied: everywhere else the host can test an optional member against NULL. */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gdlab/addrspace.h"
#include "gdlab/gdlab.h"
#include "loader.h"
#include "params_check.h"
#include "plugin_call.h"

typedef union descriptor_copy {
    gdlab_header h;
    gdlab_surface_desc surface;
    gdlab_optimizer_desc optimizer;
} descriptor_copy;

typedef struct plugin_entry {
    descriptor_copy desc;
    char *path; /* canonical path of the file */
    gdlab_code code;
} plugin_entry;

struct gdlab_registry {
    plugin_entry **plugins;
    size_t count, cap;
    char **diagnostics;
    size_t n_diagnostics, cap_diagnostics;
    int out_of_memory; /* a load or scan ran out of memory: plugins may be missing */
};

/* Notes that the registry is incomplete for want of memory; the problem's text. */
static const char *short_of_memory(gdlab_registry *reg)
{
    reg->out_of_memory = 1;
    return "out of memory";
}

const char *gdlab_kind_name(uint32_t kind)
{
    switch (kind) {
    case GDLAB_KIND_SURFACE: return "surface";
    case GDLAB_KIND_OPTIMIZER: return "optimizer";
    case GDLAB_KIND_SCHEDULE: return "schedule";
    default: return "plugin";
    }
}

gdlab_registry *gdlab_registry_new(void)
{
    return calloc(1, sizeof(gdlab_registry));
}

void gdlab_registry_free(gdlab_registry *reg)
{
    if (!reg) return;
    for (size_t i = 0; i < reg->count; i++) {
        /* Unloading is safe here: nothing from the registry may be used after it is freed. */
        gdlab_fault_forget_file(&reg->plugins[i]->desc.h);
        gdlab_code_unload(&reg->plugins[i]->code);
        free(reg->plugins[i]->path);
        free(reg->plugins[i]);
    }
    for (size_t i = 0; i < reg->n_diagnostics; i++)
        free(reg->diagnostics[i]);
    free(reg->plugins);
    free(reg->diagnostics);
    free(reg);
}

static int grow(void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*array, ncap * elem);
    if (!p) return -1;
    *array = p;
    *cap = ncap;
    return 0;
}

static void add_diagnostic(gdlab_registry *reg, const char *text)
{
    if (grow((void **)&reg->diagnostics, &reg->cap_diagnostics, reg->n_diagnostics + 1,
             sizeof(char *))) {
        short_of_memory(reg);
        return;
    }
    char *copy = strdup(text);
    if (copy) reg->diagnostics[reg->n_diagnostics++] = copy;
    else short_of_memory(reg);
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int valid_name(const char *name)
{
    if (!name || !*name) return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return 0;
    return 1;
}

/* The bytes of a descriptor the host needs before it can use it at all. */
static size_t required_size(uint32_t kind)
{
    return kind == GDLAB_KIND_SURFACE ? offsetof(gdlab_surface_desc, start) + sizeof(void (*)(void))
                                      : offsetof(gdlab_optimizer_desc, step) + sizeof(void (*)(void));
}

/* Checks a copied descriptor; returns NULL or what is wrong with it. */
static const char *validate(const descriptor_copy *d, char *buf, size_t buflen)
{
    const gdlab_header *h = &d->h;
    if (!valid_name(h->name)) return "its name is empty or not made of [a-z0-9_]";
    if (!h->summary) return "it has no summary";
    if (h->n_params && !h->params) return "n_params > 0 but params is NULL";
    if (gdlab_params_check_table(h, buf, buflen)) return buf;
    if (h->kind == GDLAB_KIND_SURFACE) {
        const gdlab_surface_desc *s = &d->surface;
        if (!s->eval || !s->domain || !s->start) return "a surface needs eval, domain and start";
        if (!s->dim && !s->dimension) return "a surface needs dim > 0 or a dimension function";
    } else if (!d->optimizer.step) {
        return "an optimizer needs step";
    }
    return NULL;
}

static plugin_entry *find_entry(const gdlab_registry *reg, uint32_t kind, const char *name)
{
    for (size_t i = 0; i < reg->count; i++) {
        const gdlab_header *h = &reg->plugins[i]->desc.h;
        if ((!kind || h->kind == kind) && strcmp(h->name, name) == 0) return reg->plugins[i];
    }
    return NULL;
}

/* Longest name, summary or help text accepted; a longer one is taken for a string without its end. */
enum { MAX_NAME = 256, MAX_TEXT = 65536, MAX_CHOICES = 1024 };

#define CODE_OK(img, fn) (!(fn) || gdlab_image_code(img, (void (*)(void))(fn)))

/* Do the tables and strings of the copied descriptor lie inside the plugin (image.c)? NULL or what
 * does not. Runs before anything reads them. */
static const char *check_memory(const gdlab_image *img, const descriptor_copy *d, char *buf, size_t buflen)
{
    const gdlab_header *h = &d->h;
    /* NULL where a table or text is required is validate()'s to report */
    if (h->name && !gdlab_image_string(img, h->name, MAX_NAME)) return "its name is not a string inside the plugin";
    if (h->summary && !gdlab_image_string(img, h->summary, MAX_TEXT))
        return "its summary is not a string inside the plugin";
    if (h->description && !gdlab_image_string(img, h->description, MAX_TEXT))
        return "its description is not a string inside the plugin";
    if (h->n_params && h->params && (h->n_params > SIZE_MAX / sizeof(gdlab_param) ||
                        !gdlab_image_holds(img, h->params, h->n_params * sizeof(gdlab_param)))) {
        snprintf(buf, buflen,
                 "n_params says %zu parameters, but a table that long would reach past the plugin's memory: "
                 "n_params is larger than the params table (use GDLAB_HEADER, which counts it)", h->n_params);
        return buf;
    }
    for (size_t i = 0; h->params && i < h->n_params; i++) {
        const gdlab_param *p = &h->params[i];
        const char *bad = !gdlab_image_string(img, p->name, MAX_NAME) ? "name"
                          : p->help && !gdlab_image_string(img, p->help, MAX_TEXT) ? "help"
                                                                                  : NULL;
        for (size_t c = 0; !bad && p->choices; c++) {
            if (c == MAX_CHOICES || !gdlab_image_holds(img, &p->choices[c], sizeof p->choices[c])) bad = "choices list";
            else if (!p->choices[c]) break;
            else if (!gdlab_image_string(img, p->choices[c], MAX_NAME)) bad = "choices list";
        }
        if (bad) {
            snprintf(buf, buflen, "parameter %zu of %zu: its %s is not inside the plugin (is n_params right?)", i + 1,
                     h->n_params, bad);
            return buf;
        }
    }
    if (h->kind == GDLAB_KIND_SURFACE) {
        const gdlab_surface_desc *s = &d->surface;
        if (!CODE_OK(img, s->dimension) || !CODE_OK(img, s->init) || !CODE_OK(img, s->eval) ||
            !CODE_OK(img, s->hessian) || !CODE_OK(img, s->domain) || !CODE_OK(img, s->start) ||
            !CODE_OK(img, s->landmark) || !CODE_OK(img, s->eval_sample))
            return "one of its functions does not point into the plugin's code";
        return NULL;
    }
    const gdlab_optimizer_desc *o = &d->optimizer;
    if (!CODE_OK(img, o->state_size) || !CODE_OK(img, o->init) || !CODE_OK(img, o->step) ||
        !CODE_OK(img, o->read_internals))
        return "one of its functions does not point into the plugin's code";
    if (o->n_internals && !o->internals) return "n_internals > 0 but internals is NULL";
    if (o->n_internals && (o->n_internals > SIZE_MAX / sizeof(gdlab_internal) ||
                           !gdlab_image_holds(img, o->internals, o->n_internals * sizeof(gdlab_internal)))) {
        snprintf(buf, buflen, "n_internals says %zu internals, but a table that long would reach past the plugin's "
                 "memory: n_internals is larger than the internals table", o->n_internals);
        return buf;
    }
    for (size_t i = 0; i < o->n_internals; i++)
        if (!gdlab_image_string(img, o->internals[i].name, MAX_NAME) ||
            (o->internals[i].help && !gdlab_image_string(img, o->internals[i].help, MAX_TEXT))) {
            snprintf(buf, buflen, "internal %zu of %zu: its name or help is not inside the plugin (is n_internals "
                     "right?)", i + 1, o->n_internals);
            return buf;
        }
    return NULL;
}

/* Call the plugin's entry function, marked as a plugin call for the crash message. */
static const gdlab_header *call_entry(gdlab_entry_fn entry, const char *file)
{
    gdlab_plugin_call call = {NULL, file, GDLAB_ENTRY_SYMBOL, NULL};
    gdlab_plugin_call_enter(&call);
    const gdlab_header *h = entry(GDLAB_ABI_VERSION);
    gdlab_plugin_call_leave(&call);
    return h;
}

/* Did dlopen fail for want of memory? glibc says so only in words and leaves errno alone; an mmap
 * refused under `ulimit -v` reads "failed to map segment from shared object", which a noexec mount
 * also gives, so those words count only while an address-space limit is set. */
static int load_short_of_memory(const char *why)
{
    if (strcasestr(why, "cannot allocate memory") || strcasestr(why, "out of memory")) return 1;
    return strstr(why, "failed to map segment") && gdlab_address_space_limit() != 0;
}

int gdlab_registry_load(gdlab_registry *reg, const char *path, char *err, size_t errlen)
{
    char canonical[PATH_MAX], why[GDLAB_ERRLEN];
    if (gdlab_code_resolve(path, 0, canonical, why, sizeof why))
        return fail(err, errlen, "plugin '%s': %s", path, why);
    for (size_t i = 0; i < reg->count; i++)
        if (strcmp(reg->plugins[i]->path, canonical) == 0) return 0; /* already loaded */

    gdlab_code code;
    if (gdlab_code_load(canonical, NULL, NULL, &code, why, sizeof why)) {
        if (load_short_of_memory(why)) short_of_memory(reg);
        return fail(err, errlen, "plugin '%s': cannot load: %s", path, why);
    }
    gdlab_entry_fn entry;
    /* POSIX: a function pointer may be obtained through a void * from dlsym. */
    *(void **)&entry = dlsym(code.handle, GDLAB_ENTRY_SYMBOL);
    gdlab_image img;
    const char *problem = NULL;
    char detail[GDLAB_ERRLEN];
    if (gdlab_image_of(code.handle, &img, detail, sizeof detail)) problem = detail;
    else if (!entry)
        problem = "no entry symbol " GDLAB_ENTRY_SYMBOL " (a gdlab plugin ends with GDLAB_PLUGIN(desc))";
    else if (!gdlab_image_code(&img, (void (*)(void))entry))
        problem = GDLAB_ENTRY_SYMBOL " is not a function of the plugin's own";
    const gdlab_header *h = problem ? NULL : call_entry(entry, canonical);
    if (problem) {
        /* set above */
    } else if (!h) {
        problem = GDLAB_ENTRY_SYMBOL " returned NULL";
    } else if (!gdlab_image_holds(&img, h, sizeof *h)) {
        problem = GDLAB_ENTRY_SYMBOL " returned a descriptor that does not lie in the plugin's memory";
    } else if (h->abi_version != GDLAB_ABI_VERSION) {
        snprintf(detail, sizeof detail,
                 "built for plugin ABI version %u, this gdlab speaks version %u: rebuild it against "
                 "gdlab/plugin.h", h->abi_version, GDLAB_ABI_VERSION);
        problem = detail;
    } else if (h->kind != GDLAB_KIND_SURFACE && h->kind != GDLAB_KIND_OPTIMIZER) {
        snprintf(detail, sizeof detail, "unknown kind %u (1 = surface, 2 = optimizer)", h->kind);
        problem = detail;
    } else if (h->size < required_size(h->kind)) {
        snprintf(detail, sizeof detail, "descriptor size %u is smaller than the %zu bytes a %s needs",
                 h->size, required_size(h->kind), gdlab_kind_name(h->kind));
        problem = detail;
    } else if (!gdlab_image_holds(&img, h, h->size < sizeof(descriptor_copy) ? h->size : sizeof(descriptor_copy))) {
        snprintf(detail, sizeof detail, "descriptor size %u reaches past the plugin's memory", h->size);
        problem = detail;
    }
    plugin_entry *e = NULL;
    if (!problem) {
        e = calloc(1, sizeof *e);
        if (!e) problem = short_of_memory(reg);
    }
    if (!problem) {
        size_t n = h->size < sizeof e->desc ? h->size : sizeof e->desc;
        memcpy(&e->desc, h, n);
        problem = check_memory(&img, &e->desc, detail, sizeof detail);
        if (!problem) problem = validate(&e->desc, detail, sizeof detail);
    }
    if (!problem) {
        const plugin_entry *twin = find_entry(reg, e->desc.h.kind, e->desc.h.name);
        if (twin) {
            snprintf(detail, sizeof detail, "another %s named '%s' is already loaded, from '%s'; skipped",
                     gdlab_kind_name(e->desc.h.kind), e->desc.h.name, twin->path);
            problem = detail;
        }
    }
    if (!problem && grow((void **)&reg->plugins, &reg->cap, reg->count + 1, sizeof(plugin_entry *)))
        problem = short_of_memory(reg);
    if (!problem && !(e->path = strdup(canonical))) problem = short_of_memory(reg);
    if (problem) {
        int r = fail(err, errlen, "plugin '%s': %s", path, problem);
        free(e);
        gdlab_code_unload(&code);
        return r;
    }
    e->code = code;
    reg->plugins[reg->count++] = e;
    gdlab_fault_note_file(&e->desc.h, e->path);
    return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int gdlab_registry_scan(gdlab_registry *reg, const char *dir)
{
    char msg[GDLAB_ERRLEN + 2 * PATH_MAX], canonical[PATH_MAX], why[GDLAB_ERRLEN + PATH_MAX];
    /* an untrusted folder is not even listed: nothing in it can be trusted (trust.c) */
    why[0] = '\0';
    struct stat st;
    if (!realpath(dir, canonical) || lstat(canonical, &st) != 0) {
        if (errno == ENOMEM) short_of_memory(reg);
        snprintf(why, sizeof why, "%s", strerror(errno));
    }
    else if (!S_ISDIR(st.st_mode)) snprintf(why, sizeof why, "'%s' is not a folder", canonical);
    else gdlab_trust_path(canonical, why, sizeof why);
    if (why[0]) {
        snprintf(msg, sizeof msg, "plugin folder '%s': %s", dir, why);
        add_diagnostic(reg, msg);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOMEM) short_of_memory(reg);
        snprintf(msg, sizeof msg, "plugin directory '%s': %s", dir, strerror(errno));
        add_diagnostic(reg, msg);
        return -1;
    }
    /* Sorted, so that which of two same-named plugins wins does not depend on the file system. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *ent; (ent = readdir(d));) {
        if (!has_suffix(ent->d_name, ".so")) continue;
        if (grow((void **)&names, &cap, n + 1, sizeof(char *)) || !(names[n] = strdup(ent->d_name))) {
            short_of_memory(reg);
            break;
        }
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof(char *), compare_strings);
    int loaded = 0;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX], err[GDLAB_ERRLEN + PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (gdlab_registry_load(reg, path, err, sizeof err) == 0)
            loaded++;
        else
            add_diagnostic(reg, err);
        free(names[i]);
    }
    free(names);
    return loaded;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A plugin root holds plugins itself and/or in surfaces/ and optimizers/ below it. */
static void scan_root(gdlab_registry *reg, const char *root, int must_exist)
{
    static const char *const subdirs[] = {"surfaces", "optimizers"};
    if (!is_dir(root)) {
        if (must_exist) gdlab_registry_scan(reg, root); /* records why it cannot be read */
        return;
    }
    gdlab_registry_scan(reg, root);
    for (size_t i = 0; i < GDLAB_COUNT_OF(subdirs); i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", root, subdirs[i]);
        if (is_dir(path)) gdlab_registry_scan(reg, path);
    }
}

void gdlab_registry_scan_default(gdlab_registry *reg)
{
    const char *env = getenv("GDLAB_PLUGIN_PATH");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        if (!copy) short_of_memory(reg);
        for (char *item = copy ? strtok_r(copy, ":", &save) : NULL; item;
             item = strtok_r(NULL, ":", &save)) {
            char err[GDLAB_ERRLEN + PATH_MAX];
            if (has_suffix(item, ".so")) {
                if (gdlab_registry_load(reg, item, err, sizeof err)) add_diagnostic(reg, err);
            } else {
                scan_root(reg, item, 1);
            }
        }
        free(copy);
    }
    /* The plugins that came with this libgdlab: found beside the library itself, so a build tree and
     * an installed tree both work without configuration. */
    Dl_info info;
    if (dladdr((void *)gdlab_registry_new, &info) && info.dli_fname) {
        char libdir[PATH_MAX], root[PATH_MAX + 32];
        if (!realpath(info.dli_fname, libdir)) return;
        char *slash = strrchr(libdir, '/');
        if (slash) *slash = '\0';
        snprintf(root, sizeof root, "%s/plugins", libdir);
        scan_root(reg, root, 0);
        snprintf(root, sizeof root, "%s/gdlab/plugins", libdir);
        scan_root(reg, root, 0);
    }
}

int gdlab_registry_out_of_memory(const gdlab_registry *reg)
{
    return reg->out_of_memory;
}

size_t gdlab_registry_count(const gdlab_registry *reg)
{
    return reg->count;
}

const gdlab_header *gdlab_registry_get(const gdlab_registry *reg, size_t i, const char **path)
{
    if (i >= reg->count) return NULL;
    if (path) *path = reg->plugins[i]->path;
    return &reg->plugins[i]->desc.h;
}

const gdlab_header *gdlab_registry_find(const gdlab_registry *reg, uint32_t kind, const char *name)
{
    const plugin_entry *e = find_entry(reg, kind, name);
    return e ? &e->desc.h : NULL;
}

void gdlab_registry_unknown(const gdlab_registry *reg, uint32_t kind, const char *name, char *err,
                            size_t errlen)
{
    size_t used = (size_t)snprintf(err, errlen, "unknown %s '%s'; available:", gdlab_kind_name(kind),
                                   name);
    int any = 0;
    for (size_t i = 0; i < reg->count && used < errlen; i++) {
        const gdlab_header *h = &reg->plugins[i]->desc.h;
        if (kind && h->kind != kind) continue;
        used += (size_t)snprintf(err + used, errlen - used, "%s %s", any ? "," : "", h->name);
        any = 1;
    }
    if (!any && used < errlen)
        snprintf(err + used, errlen - used, " none (is GDLAB_PLUGIN_PATH right?)");
}

size_t gdlab_registry_diagnostic_count(const gdlab_registry *reg)
{
    return reg->n_diagnostics;
}

const char *gdlab_registry_diagnostic(const gdlab_registry *reg, size_t i)
{
    return i < reg->n_diagnostics ? reg->diagnostics[i] : NULL;
}

/* Typed lookups. Entries hold their descriptor in a union; once the kind matches, that kind's member
 * is the one the loader filled. */
const gdlab_surface_desc *gdlab_registry_find_surface(const gdlab_registry *reg, const char *name)
{
    const plugin_entry *e = find_entry(reg, GDLAB_KIND_SURFACE, name);
    return e ? &e->desc.surface : NULL;
}

const gdlab_optimizer_desc *gdlab_registry_find_optimizer(const gdlab_registry *reg, const char *name)
{
    const plugin_entry *e = find_entry(reg, GDLAB_KIND_OPTIMIZER, name);
    return e ? &e->desc.optimizer : NULL;
}
