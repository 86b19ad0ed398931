/* SPDX-License-Identifier: MIT */
/* device.c — PLplot's devices as gdlab sees them: which exist on this machine (PLplot's own list,
 * plgDevs), which write files and with what extension, which put several pages in one file, and what
 * each needs before PLplot starts it (gdlab_device_ready).
 * gdlab checks a device name here before PLplot ever sees it: an unknown name given to plinit makes
 * PLplot prompt on stdin or call exit(). */
#include <plplotP.h> /* plGetDrvDir: where PLplot loads its drivers from */

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fig_internal.h"
#include "window.h"

/* What PLplot's list does not say. Devices not named here are left out: memory and external-context
 * devices need a buffer from the host program, null draws nothing. Multi-page: the cairo PNG/SVG,
 * SVG and Qt file devices write one page per file (PLplot's "familying"), so they are single-page.
 * tiffqt is left out: Debian's Qt has no TIFF writer and PLplot then writes an empty file. The driver
 * is the file PLplot loads for the device (DRIVER.so in its drivers folder; its DRIVER.driver_info
 * lists the devices in it). */
static const struct device_kind {
    const char *name, *extension;
    int interactive, multipage;
    const char *driver;
} kinds[] = {
    {"pngcairo", "png", 0, 0, "cairo"}, {"svgcairo", "svg", 0, 0, "cairo"}, {"pdfcairo", "pdf", 0, 1, "cairo"},
    {"pscairo", "ps", 0, 1, "cairo"},   {"epscairo", "eps", 0, 0, "cairo"}, {"ps", "ps", 0, 1, "ps"},
    {"psc", "ps", 0, 1, "ps"},          {"svg", "svg", 0, 0, "svg"},        {"pdf", "pdf", 0, 1, "pdf"},
    {"xfig", "fig", 0, 0, "xfig"},      {"pngqt", "png", 0, 0, "qt"},       {"jpgqt", "jpg", 0, 0, "qt"},
    {"bmpqt", "bmp", 0, 0, "qt"},       {"ppmqt", "ppm", 0, 0, "qt"},       {"svgqt", "svg", 0, 0, "qt"},
    {"pdfqt", "pdf", 0, 0, "qt"},       {"xcairo", NULL, 1, 1, "cairo"},    {"xwin", NULL, 1, 1, "xwin"},
    {"qtwidget", NULL, 1, 1, "qt"},     {"wxwidgets", NULL, 1, 1, "wxwidgets"},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static gdlab_device_info devices[N_KINDS];
static size_t n_devices;
static int listed;
static char list_failure[512]; /* why PLplot could not list its drivers, or "" */

/* How many drivers' *.driver_info files dir holds (what PLplot lists its devices from); -1 with errno
 * when it cannot be read. */
static int count_driver_infos(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (const struct dirent *e; (e = readdir(d));) {
        const size_t len = strlen(e->d_name), suffix = strlen(".driver_info");
        n += len > suffix && strcmp(e->d_name + len - suffix, ".driver_info") == 0;
    }
    closedir(d);
    return n;
}

/* What PLplot said when its list came back empty, made into a reason. PLplot reads its drivers folder
 * (PLPLOT_DRV_DIR, else the one it was built with) through a temporary file in TMPDIR, else /tmp: the
 * folder that could not be read (read again here for errno), a folder without drivers, or the
 * temporary file. */
static void explain_no_list(const char *plplot_message)
{
    const char *dir = plGetDrvDir();
    const char *named = getenv("PLPLOT_DRV_DIR") ? ", named by PLPLOT_DRV_DIR: is that right?" : "";
    const int infos = count_driver_infos(dir);
    const int e = infos < 0 ? errno : 0;
    char limit[96];
    if (infos < 0 && e == ENOMEM && fig_limit_left(limit, sizeof limit))
        snprintf(list_failure, sizeof list_failure, "PLplot could not open its drivers folder %.200s: out of memory: "
                 "%s; raise the limit", dir, limit);
    else if (infos < 0)
        snprintf(list_failure, sizeof list_failure, "PLplot could not open its drivers folder %.200s (%s)%s", dir,
                 strerror(e), named);
    else if (infos == 0)
        snprintf(list_failure, sizeof list_failure, "PLplot found no drivers (*.driver_info files) in its drivers "
                 "folder %.200s%s", dir, named);
    else
        snprintf(list_failure, sizeof list_failure, "PLplot could not list its device drivers (\"%.150s\"); it lists "
                 "them through a temporary file in TMPDIR, else /tmp: is that folder full or not writable?",
                 plplot_message[0] ? plplot_message : "no drivers found");
}

/* While PLplot lists its drivers its stderr goes to /dev/null: when it cannot, it prints its own words
 * ("*** PLPLOT ERROR, ABORTING OPERATION *** plInitDispatchTable: Could not open drivers directory")
 * before gdlab says the same with the reason (explain_no_list). Returns the saved stderr, or -1 when
 * it could not be saved (then nothing is redirected). */
static int quiet_stderr(void)
{
    fflush(stderr);
    const int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    const int null = saved < 0 ? -1 : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0 || dup2(null, STDERR_FILENO) < 0) {
        if (null >= 0) close(null);
        if (saved >= 0) close(saved);
        return -1;
    }
    close(null);
    return saved;
}

static void restore_stderr(int saved)
{
    if (saved < 0) return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

/* plgDevs, trapped: a fatal error leaves trap->fatal set (and *n as it was). */
static void read_plplot_list(const char ***menu, const char ***name, int *n, gdlab_plplot_trap *trap)
{
    gdlab_plplot_trap_push(trap);
    if (setjmp(trap->jump) == 0) plgDevs(menu, name, n);
    gdlab_plplot_trap_pop(trap);
}

/* PLplot's list is fixed for the life of the process: read it once. PLplot builds it in a temporary
 * file ($TMPDIR, else /tmp) and, when that cannot be written, finds no drivers and exits; when it
 * cannot open its drivers folder (out of memory, a wrong PLPLOT_DRV_DIR) it says so and lists none.
 * Both are trapped here, so that gdlab_device_find can say what happened. */
static void list_devices(void)
{
    if (listed) return;
    listed = 1;
    enum { CAP = 128 };
    static const char *menus[CAP], *names[CAP];
    const char **menu = menus, **name = names;
    int n = CAP;
    gdlab_plplot_trap trap;
    const int saved_stderr = quiet_stderr();
    read_plplot_list(&menu, &name, &n, &trap);
    restore_stderr(saved_stderr);
    if (trap.fatal || n == 0) {
        explain_no_list(trap.message);
        return;
    }
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < N_KINDS; k++) {
            if (strcmp(name[i], kinds[k].name) != 0) continue;
            devices[n_devices++] = (gdlab_device_info){kinds[k].name, menu[i], kinds[k].extension,
                                                       kinds[k].interactive, kinds[k].multipage,
                                                       kinds[k].driver};
            break;
        }
    }
}

size_t gdlab_device_count(void)
{
    list_devices();
    return n_devices;
}

const gdlab_device_info *gdlab_device_at(size_t i)
{
    list_devices();
    return i < n_devices ? &devices[i] : NULL;
}

const gdlab_device_info *gdlab_device_find(const char *name, char *err, size_t errlen)
{
    list_devices();
    if (list_failure[0]) {
        snprintf(err, errlen, "cannot use device '%s': %s", name ? name : "(none)", list_failure);
        return NULL;
    }
    for (size_t i = 0; name && i < n_devices; i++)
        if (strcmp(devices[i].name, name) == 0) return &devices[i];
    int len = snprintf(err, errlen, "unknown device '%s'; available:", name ? name : "(none)");
    for (size_t i = 0; i < n_devices && len >= 0 && (size_t)len < errlen; i++)
        len += snprintf(err + len, errlen - (size_t)len, "%s %s", i ? "," : "", devices[i].name);
    return NULL;
}

int gdlab_device_prepare(const gdlab_device_info *dev, char *err, size_t errlen)
{
    /* xcairo and xwin: the X server itself is asked, as PLplot would fail there with an exit() (xwin's
     * "Can't open display") or a two-line message (xcairo's) that names no display */
    if (dev->interactive && fig_window_supported(dev)) return fig_window_display_check(dev, err, errlen);
    const char *x11 = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    const int have_display = (x11 && *x11) || (wayland && *wayland);
    if (dev->interactive && !have_display) {
        snprintf(err, errlen, "device '%s' opens a window but there is no display (DISPLAY is not set); use a "
                 "file device such as pngcairo or pdfcairo", dev->name);
        return -1;
    }
    const size_t n = strlen(dev->name);
    if (!dev->interactive && n > 2 && strcmp(dev->name + n - 2, "qt") == 0 && !have_display)
        setenv("QT_QPA_PLATFORM", "offscreen", 0);
    return 0;
}

/* PLplot loads a device's driver (DRIVER.so in its drivers folder) inside plinit, and when dlopen fails
 * it prints "Unable to load driver: pdf." and exits (trapped: the figure fails with "Unable to load
 * driver" and no reason). It happens under `ulimit -v`, where the driver and the libraries it needs
 * (libharu for pdf, cairo and pango for the cairo devices) may not fit. Loaded here first, the failure
 * has dlerror's reason and a file name; PLplot's own dlopen then finds the driver loaded. The handle is
 * kept for the life of the process, as PLplot keeps most of its drivers. A driver file that does not
 * exist is left to PLplot (a PLplot built with its drivers inside the library has none). */
static int load_driver(const gdlab_device_info *dev, const char *what, char *err, size_t errlen)
{
    enum { MAX_DRIVERS = 16 };
    static const char *loaded[MAX_DRIVERS]; /* the drivers' names in kinds[] */
    static size_t n_loaded;
    for (size_t i = 0; i < n_loaded; i++)
        if (strcmp(loaded[i], dev->driver) == 0) return 0;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.so", plGetDrvDir(), dev->driver);
    if (access(path, F_OK) != 0 && errno == ENOENT) return 0;
    if (!dlopen(path, RTLD_LAZY | RTLD_LOCAL)) { /* as libltdl opens it for PLplot */
        const char *why = dlerror();
        char limit[96];
        /* under a limit, glibc's "failed to map segment" or "cannot allocate memory" is the limit */
        if (why && (strstr(why, "map") || strstr(why, "memory")) && fig_limit_left(limit, sizeof limit))
            snprintf(err, errlen, "%s: not enough memory to start PLplot's %s device: its driver %.300s could not "
                     "be loaded (%.300s) and %s; raise the limit", what, dev->name, path, why, limit);
        else
            snprintf(err, errlen, "%s: cannot start PLplot's %s device: its driver %.300s could not be loaded (%.300s)",
                     what, dev->name, path, why ? why : "dlopen failed");
        return -1;
    }
    if (n_loaded < MAX_DRIVERS) loaded[n_loaded++] = dev->driver;
    return 0;
}

int gdlab_device_ready(const gdlab_device_info *dev, int width, int height, const char *what, char *err,
                       size_t errlen)
{
    if (fig_headroom(dev, width, height, what, err, errlen)) return -1;
    return dev->driver ? load_driver(dev, what, err, errlen) : 0;
}

int gdlab_devices_print(FILE *out, char *err, size_t errlen)
{
    list_devices();
    if (list_failure[0]) {
        snprintf(err, errlen, "no devices: %s", list_failure);
        return -1;
    }
    fprintf(out, "%-10s %-6s %-6s %s\n", "device", "file", "pages", "description");
    for (size_t i = 0; i < n_devices; i++) {
        const gdlab_device_info *d = &devices[i];
        fprintf(out, "%-10s %-6s %-6s %s\n", d->name, d->interactive ? "window" : d->extension,
                d->multipage ? "many" : "one", d->description);
    }
    return 0;
}
