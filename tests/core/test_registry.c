/* SPDX-License-Identifier: MIT */
/* The loader: loads every built plugin; refuses broken ones with the file named; keeps loading. */
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "gdlab/gdlab.h"

static char err[4096];

static void copy_prefix(const char *from, const char *to, long bytes)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    CHECK(in && out);
    if (!in || !out) return;
    for (int c; bytes-- != 0 && (c = fgetc(in)) != EOF;)
        fputc(c, out);
    fclose(in);
    fclose(out);
}

static void every_built_plugin_loads_without_diagnostics(void)
{
    gdlab_registry *reg = gdlab_registry_new();
    CHECK(gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces") >= 1);
    CHECK(gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers") >= 1);
    for (size_t i = 0; i < gdlab_registry_diagnostic_count(reg); i++)
        fprintf(stderr, "unexpected: %s\n", gdlab_registry_diagnostic(reg, i));
    CHECK(gdlab_registry_diagnostic_count(reg) == 0);
    CHECK(gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "quadratic") != NULL);
    CHECK(gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd") != NULL);
    CHECK(gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "gd") == NULL); /* kinds are separate */
    /* typed lookups hand back the same descriptor, typed, and are just as separate by kind */
    const gdlab_surface_desc *quadratic = gdlab_registry_find_surface(reg, "quadratic");
    const gdlab_optimizer_desc *gd = gdlab_registry_find_optimizer(reg, "gd");
    CHECK(quadratic && &quadratic->h == gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "quadratic"));
    CHECK(gd && &gd->h == gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd") && gd->step != NULL);
    CHECK(gdlab_registry_find_surface(reg, "gd") == NULL);
    CHECK(gdlab_registry_find_optimizer(reg, "quadratic") == NULL);
    CHECK(gdlab_registry_find_optimizer(reg, "adma") == NULL);
    gdlab_registry_unknown(reg, GDLAB_KIND_OPTIMIZER, "adma", err, sizeof err);
    CHECK_STR_CONTAINS(err, "unknown optimizer 'adma'; available:");
    CHECK_STR_CONTAINS(err, " gd");
    gdlab_registry_free(reg);
}

static void broken_plugins_are_refused_with_the_file_named(void)
{
    gdlab_registry *reg = gdlab_registry_new();
    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/wrong_abi.so", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "wrong_abi.so");
    CHECK_STR_CONTAINS(err, "built for plugin ABI version 42, this gdlab speaks version 1");

    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/no_entry.so", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "no_entry.so");
    CHECK_STR_CONTAINS(err, "no entry symbol gdlab_plugin_entry");

    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/bad_default.so", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "bad_default.so");
    CHECK_STR_CONTAINS(err, "default -1 of parameter 'lr' is outside its own range");

    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/does_not_exist.so", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "does_not_exist.so");
    CHECK_STR_CONTAINS(err, "No such file");

    char dir[] = "/tmp/gdlab_test_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char truncated[256], twin[256];
    snprintf(truncated, sizeof truncated, "%s/truncated.so", dir);
    snprintf(twin, sizeof twin, "%s/zz_twin_of_gd.so", dir);
    copy_prefix(GDLAB_PLUGIN_DIR "/optimizers/gd.so", truncated, 1000);
    copy_prefix(GDLAB_PLUGIN_DIR "/optimizers/gd.so", twin, -1);
    CHECK(gdlab_registry_load(reg, truncated, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "truncated.so");
    CHECK_STR_CONTAINS(err, "cannot load");

    /* A directory with good and broken plugins: the good ones load, each broken one is reported. */
    snprintf(twin, sizeof twin, "%s/wrong_abi.so", dir);
    copy_prefix(GDLAB_FIXTURE_DIR "/wrong_abi.so", twin, -1);
    snprintf(twin, sizeof twin, "%s/gd.so", dir);
    copy_prefix(GDLAB_PLUGIN_DIR "/optimizers/gd.so", twin, -1);
    snprintf(twin, sizeof twin, "%s/zz_twin_of_gd.so", dir);
    copy_prefix(GDLAB_PLUGIN_DIR "/optimizers/gd.so", twin, -1);
    CHECK(gdlab_registry_scan(reg, dir) == 1); /* gd.so; the twin, truncated and wrong-ABI fail */
    CHECK(gdlab_registry_diagnostic_count(reg) == 3);
    int saw_twin = 0;
    for (size_t i = 0; i < gdlab_registry_diagnostic_count(reg); i++) {
        const char *d = gdlab_registry_diagnostic(reg, i);
        if (strstr(d, "zz_twin_of_gd.so") && strstr(d, "another optimizer named 'gd' is already loaded"))
            saw_twin = 1;
    }
    CHECK(saw_twin);
    CHECK(gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd") != NULL);
    gdlab_registry_free(reg);
    snprintf(twin, sizeof twin, "rm -rf %s", dir);
    CHECK(system(twin) == 0);
}

static void an_older_shorter_descriptor_is_read_only_up_to_its_size(void)
{
    gdlab_registry *reg = gdlab_registry_new();
    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/old_abi_small.so", err, sizeof err) == 0);
    const gdlab_surface_desc *d =
        (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "old_small");
    CHECK(d != NULL);
    if (d) {
        CHECK(d->landmark == NULL);
        CHECK(d->eval_sample == NULL);
        gdlab_surface *s = gdlab_surface_new(d, NULL, err, sizeof err);
        CHECK(s != NULL);
        double x[1];
        CHECK(gdlab_surface_landmark(s, 0, x) == GDLAB_LANDMARK_END);
        CHECK(gdlab_surface_min_value(s) == 0.0);
        gdlab_surface_free(s);
    }
    gdlab_registry_free(reg);
}

/* A descriptor whose tables or strings reach outside the plugin is refused before any of them is
 * read: a lying count (params, internals) or a wild pointer is an error naming the file, not a crash. */
static void lying_descriptors_are_refused_without_reading_past_the_plugin(void)
{
    gdlab_registry *reg = gdlab_registry_new();
    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/lying_n_params.so", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "plugin '" GDLAB_FIXTURE_DIR "/lying_n_params.so': n_params says 1000000 parameters, "
                            "but a table that long would reach past the plugin's memory");
    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/lying_internals.so", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "lying_internals.so': n_internals says 100000 internals, but a table that long would "
                            "reach past the plugin's memory");
    CHECK(gdlab_registry_load(reg, GDLAB_FIXTURE_DIR "/lying_help.so", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "lying_help.so': parameter 2 of 2: its help is not inside the plugin (is n_params right?)");
    CHECK(gdlab_registry_count(reg) == 0);
    gdlab_registry_free(reg);
}

/* What is not a regular file is refused before it is opened: a FIFO would block the open forever. */
static void a_fifo_is_refused_without_blocking(void)
{
    char dir[] = "/tmp/gdlab_fifo_XXXXXX", fifo[64], want[PATH_MAX + 64], real[PATH_MAX];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(fifo, sizeof fifo, "%s/x.so", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    gdlab_registry *reg = gdlab_registry_new();
    CHECK(gdlab_registry_load(reg, fifo, err, sizeof err) == -1);
    CHECK(realpath(fifo, real) != NULL);
    snprintf(want, sizeof want, "'%s' is a FIFO (named pipe), not a regular file", real);
    CHECK_STR_CONTAINS(err, want);
    CHECK(gdlab_registry_scan(reg, dir) == 0);
    CHECK(gdlab_registry_diagnostic_count(reg) == 1);
    gdlab_registry_free(reg);
    unlink(fifo);
    rmdir(dir);
}

/* Plugins are loaded through /proc/self/fd/N (loader.c), and glibc finds a loaded library by name
 * first: a name left behind by a library that stays loaded (a second registry holds it) must never
 * hand that library out for another file opened under the same descriptor number later. */
static void a_reused_descriptor_number_never_loads_the_wrong_library(void)
{
    gdlab_registry *a = gdlab_registry_new(), *b = gdlab_registry_new();
    CHECK(gdlab_registry_load(a, GDLAB_PLUGIN_DIR "/optimizers/gd.so", err, sizeof err) == 0);
    CHECK(gdlab_registry_load(b, GDLAB_PLUGIN_DIR "/optimizers/gd.so", err, sizeof err) == 0);
    gdlab_registry_free(a); /* gd stays loaded (b), under the name of a's now closed descriptor */
    for (int i = 0; i < 3; i++) { /* whichever descriptor numbers come next */
        gdlab_registry *c = gdlab_registry_new();
        CHECK(gdlab_registry_load(c, GDLAB_PLUGIN_DIR "/optimizers/adam.so", err, sizeof err) == 0);
        CHECK(gdlab_registry_find(c, GDLAB_KIND_OPTIMIZER, "adam") != NULL);
        CHECK(gdlab_registry_find(c, GDLAB_KIND_OPTIMIZER, "gd") == NULL);
        gdlab_registry_free(c);
    }
    CHECK(gdlab_registry_find(b, GDLAB_KIND_OPTIMIZER, "gd") != NULL);
    gdlab_registry_free(b);
}

static void the_path_variable_is_searched(void)
{
    setenv("GDLAB_PLUGIN_PATH", GDLAB_FIXTURE_DIR "/old_abi_small.so:/nonexistent/dir", 1);
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan_default(reg);
    CHECK(gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "old_small") != NULL);
    int saw_missing_dir = 0;
    for (size_t i = 0; i < gdlab_registry_diagnostic_count(reg); i++)
        saw_missing_dir |= strstr(gdlab_registry_diagnostic(reg, i), "/nonexistent/dir") != NULL;
    CHECK(saw_missing_dir);
    gdlab_registry_free(reg);
    unsetenv("GDLAB_PLUGIN_PATH");
}

int main(void)
{
    every_built_plugin_loads_without_diagnostics();
    broken_plugins_are_refused_with_the_file_named();
    an_older_shorter_descriptor_is_read_only_up_to_its_size();
    lying_descriptors_are_refused_without_reading_past_the_plugin();
    a_fifo_is_refused_without_blocking();
    a_reused_descriptor_number_never_loads_the_wrong_library();
    the_path_variable_is_searched();
    return CHECK_RESULT();
}
