/* animation.c — an animation: figures drawn one after another as the frames of a looping GIF or of a
 * video (MP4, WebM: frame_sink.c chooses by the extension).
 * Each frame is an ordinary figure drawn in memory (gdlab_figure_config.memory, PLplot's memcairo
 * device); when it ends, its pixels go to the GIF (gif.c), which keeps only what changed, or to the video encoder. One frame
 * is in memory at a time, whatever the length of the animation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_sink.h"
#include "gdlab/figure.h"
#include "gdlab/progress.h"

struct gdlab_animation {
    gdlab_animation_config cfg;
    char *path;
    fig_frame_sink *sink; /* GIF or video, by the extension */
    gdlab_progress *progress;
    unsigned char *rgb;   /* the frame being drawn */
    gdlab_figure *frame;  /* open, or NULL */
    size_t frames;
};

gdlab_animation *gdlab_animation_open(const gdlab_animation_config *cfg, char *err, size_t errlen)
{
    const double fps = cfg->fps > 0 ? cfg->fps : 10.0;
    if (!(fps >= 0.5 && fps <= 50)) {
        snprintf(err, errlen, "animation fps %g is out of range: 0.5 to 50 frames per second", cfg->fps);
        return NULL;
    }
    if (!cfg->path || !cfg->path[0]) {
        snprintf(err, errlen, "an animation needs a path");
        return NULL;
    }
    const int w = cfg->frame.width ? cfg->frame.width : 800, h = cfg->frame.height ? cfg->frame.height : 600;
    if (w < 50 || w > 4000 || h < 50 || h > 4000) {
        snprintf(err, errlen, "animation size %d x %d is out of range: 50 to 4000 pixels per side", w, h);
        return NULL;
    }
    gdlab_animation *a = calloc(1, sizeof *a);
    if (!a || !(a->path = malloc(strlen(cfg->path) + 1)) || !(a->rgb = malloc((size_t)w * (size_t)h * 3))) {
        snprintf(err, errlen, "out of memory for a %d x %d animation", w, h);
        if (a) free(a->path);
        free(a);
        return NULL;
    }
    strcpy(a->path, cfg->path);
    a->cfg = *cfg;
    a->cfg.path = a->path;
    a->cfg.frame.width = w, a->cfg.frame.height = h;
    a->cfg.frame.device = NULL, a->cfg.frame.path = NULL, a->cfg.frame.book = NULL;
    a->cfg.frame.memory = a->rgb;
    a->sink = fig_frame_sink_open(a->path, w, h, fps, !cfg->once, err, errlen);
    if (!a->sink) {
        free(a->rgb), free(a->path), free(a);
        return NULL;
    }
    a->progress = gdlab_progress_start("animation", "frames", 0);
    return a;
}

int gdlab_animation_end_frame(gdlab_animation *a, char *err, size_t errlen)
{
    if (!a->frame) return 0;
    gdlab_figure *fig = a->frame;
    a->frame = NULL;
    char buf[GDLAB_ERRLEN];
    if (gdlab_figure_close(fig, buf, sizeof buf)) {
        if (err) snprintf(err, errlen, "animation '%s', frame %zu: %s", a->path, a->frames + 1, buf);
        return -1;
    }
    if (fig_frame_sink_frame(a->sink, a->rgb, buf, sizeof buf)) {
        if (err) snprintf(err, errlen, "animation '%s': %s", a->path, buf);
        return -1;
    }
    a->frames++;
    gdlab_progress_add(a->progress, 1);
    return 0;
}

gdlab_figure *gdlab_animation_frame(gdlab_animation *a, const char *title, char *err, size_t errlen)
{
    if (gdlab_animation_end_frame(a, err, errlen)) return NULL;
    gdlab_figure_config fc = a->cfg.frame;
    if (title) fc.title = title;
    a->frame = gdlab_figure_open(&fc, err, errlen);
    return a->frame;
}

int gdlab_animation_close(gdlab_animation *a, char *err, size_t errlen)
{
    if (!a) return 0;
    char buf[GDLAB_ERRLEN] = "";
    int rc = gdlab_animation_end_frame(a, buf, sizeof buf);
    if (!rc && a->frames == 0) {
        snprintf(buf, sizeof buf, "animation '%s' has no frames: draw some with frame()", a->path);
        rc = -1;
    }
    char sink_err[GDLAB_ERRLEN];
    if (rc) /* an animation cut short is not written: the old file stays */
        fig_frame_sink_abort(a->sink);
    else if (fig_frame_sink_close(a->sink, sink_err, sizeof sink_err)) {
        snprintf(buf, sizeof buf, "%s", sink_err);
        rc = -1;
    }
    gdlab_progress_end(a->progress);
    if (rc && err) snprintf(err, errlen, "%s", buf);
    free(a->rgb), free(a->path), free(a);
    return rc;
}

size_t gdlab_animation_frames(const gdlab_animation *a)
{
    return a->frames;
}

const char *gdlab_animation_path(const gdlab_animation *a)
{
    return a->path;
}
