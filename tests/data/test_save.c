/* SPDX-License-Identifier: MIT */
/* The C API of saved results (gdlab/save.h): a run saved from its gdlab_trajectory reads back as the same
 * numbers; the setup names every parameter; the output file appears only when committed; bad paths and
 * extensions are errors naming them. Python reads the same files in save_test.sh. */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "gdlab/output.h"
#include "gdlab/save.h"

static char err[4096];
static char dir[] = "/tmp/gdlab_test_save_XXXXXX";

static size_t temporaries(void) /* the output writer's temporaries (.NAME.RANDOM.gdlab-tmp) in dir */
{
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] == '.' && strstr(e->d_name, ".gdlab-tmp") != NULL;
    if (d) closedir(d);
    return n;
}

static void a_run_saved_as_csv_reads_back_exactly(gdlab_registry *reg)
{
    const gdlab_surface_desc *sd = (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "rosenbrock");
    const gdlab_optimizer_desc *od = (const gdlab_optimizer_desc *)gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "adam");
    gdlab_surface *s = gdlab_surface_new(sd, NULL, err, sizeof err);
    gdlab_optimizer *o = gdlab_optimizer_new(od, NULL, err, sizeof err);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 25;
    gdlab_trajectory t;
    CHECK(s && o && gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    char *setup = gdlab_setup_json(s, o, &cfg, NULL, "from C");
    CHECK_STR_CONTAINS(setup, "\"optimizer\": {\"name\": \"adam\", \"params\": {\"lr\": 0.001, \"beta1\": 0.9, "
                              "\"beta2\": 0.999, \"eps\": 1e-08, \"weight_decay\": 0, \"amsgrad\": false, \"maximize\": false}}");
    CHECK_STR_CONTAINS(setup, "\"config\": {\"start\": [-1, 2], \"steps\": 25, \"tol\": null");
    char path[256];
    snprintf(path, sizeof path, "%s/run.csv", dir);
    CHECK(gdlab_save_trajectory(&t, setup, path, err, sizeof err) == 0);
    FILE *f = fopen(path, "r");
    char header[256] = "";
    CHECK(f && fgets(header, sizeof header, f));
    CHECK(strcmp(header, "step,x1,x2,loss,grad_norm,lr,evals\n") == 0);
    size_t rows = 0;
    unsigned long long step, evals;
    double x1, x2, loss, gnorm, lr;
    int exact = 1;
    while (f && fscanf(f, "%llu,%lf,%lf,%lf,%lf,%lf,%llu\n", &step, &x1, &x2, &loss, &gnorm, &lr, &evals) == 7) {
        exact &= step == rows && x1 == t.x[2 * rows] && x2 == t.x[2 * rows + 1] && loss == t.loss[rows] &&
                 gnorm == t.grad_norm[rows] && evals == t.evals[rows] && (rows == 0 ? isnan(lr) : lr == t.lr[rows]);
        rows++;
    }
    CHECK(rows == 26 && rows == t.n);
    CHECK(exact); /* every number, to the last bit; nan in row 0's lr */
    if (f) fclose(f);
    CHECK(temporaries() == 0);
    free(setup);
    gdlab_trajectory_free(&t);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

static void bad_paths_and_extensions_are_errors_naming_them(void)
{
    gdlab_trajectory t = {.dim = 1, .n = 1, .x = (double[]){1}, .status = GDLAB_CONVERGED};
    char path[256];
    snprintf(path, sizeof path, "%s/run.parquet", dir);
    CHECK(gdlab_save_trajectory(&t, NULL, path, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "run.parquet': unknown format '.parquet'; available: csv, json");
    snprintf(path, sizeof path, "%s/missing/run.json", dir);
    CHECK(gdlab_save_trajectory(&t, NULL, path, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "cannot write run '");
    CHECK_STR_CONTAINS(err, "missing/run.json': its folder '");
    CHECK_STR_CONTAINS(err, "/missing' does not exist");
    gdlab_data_format format;
    CHECK(gdlab_data_format_of("a.dir/file", &format, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "unknown format '(no extension)'");
    CHECK(gdlab_data_format_of("OUT.JSON", &format, err, sizeof err) == 0 && format == GDLAB_DATA_JSON);
}

static void an_output_file_appears_only_when_committed(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/whole.txt", dir);
    gdlab_output *out = gdlab_output_open(path, "test file", err, sizeof err);
    CHECK(out != NULL);
    fputs("half", gdlab_output_stream(out));
    CHECK(access(path, F_OK) != 0 && temporaries() == 1); /* only the temporary exists */
    gdlab_output_abort(out);
    CHECK(access(path, F_OK) != 0 && temporaries() == 0);
    out = gdlab_output_open(path, "test file", err, sizeof err);
    fputs("whole\n", gdlab_output_stream(out));
    CHECK(gdlab_output_commit(out, err, sizeof err) == 0);
    FILE *f = fopen(path, "r");
    char line[16] = "";
    CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "whole\n") == 0);
    if (f) fclose(f);
    CHECK(temporaries() == 0);
    remove(path);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    a_run_saved_as_csv_reads_back_exactly(reg);
    bad_paths_and_extensions_are_errors_naming_them();
    an_output_file_appears_only_when_committed();
    gdlab_registry_free(reg);
    char path[300];
    snprintf(path, sizeof path, "%s/run.csv", dir);
    remove(path);
    rmdir(dir);
    return CHECK_RESULT();
}
