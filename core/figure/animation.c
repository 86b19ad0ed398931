/* SPDX-License-Identifier: MIT */
/* animation.c — an animation: figures drawn one after another as the frames of a looping GIF or of a
 * video (MP4, WebM: frame_sink.c chooses by the extension), or played live in a window.
 * Each frame is an ordinary figure drawn in memory (gdlab_figure_config.memory, PLplot's memcairo
 * device); when it ends, its pixels go to the GIF (gif.c), which keeps only what changed, to the video
 * encoder, or to the window (window.c) at the frame rate. One frame
 * is in memory at a time, whatever the length of the animation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frame_sink.h"
#include "gdlab/figure.h"
#include "gdlab/progress.h"
#include "window.h"

struct gdlab_animation {
    gdlab_animation_config cfg;
    char *path;
    fig_frame_sink *sink; /* GIF or video, by the extension */
    gdlab_progress *progress;
    unsigned char *rgb;   /* the frame being drawn */
    gdlab_figure *frame;  /* open, or NULL */
    size_t frames;
    fig_window *window;   /* live: frames are shown here instead of written */
    int delay_cs;         /* live: hundredths of a second per frame */
    int paused;
    int dispose;          /* closing without waiting for the reader */
    double due;           /* live: when the next frame is due (CLOCK_MONOTONIC seconds) */
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* Show the frame just drawn, then keep it up until the next is due, or while paused until the reader
 * resumes (space) or steps (n). The reader's close ends the showing, not the script. */
static int play_frame(gdlab_animation *a, char *err, size_t errlen)
{
    if (fig_window_closed(a->window)) return 0;
    if (fig_window_put_rgb(a->window, a->rgb, err, errlen)) return -1;
    if (!a->frames) a->due = now_s();
    a->due += a->delay_cs / 100.0;
    for (;;) { /* events are read even when drawing is slower than the frame rate */
        const double left = fmax(a->due - now_s(), 0.0);
        gdlab_event ev;
        const int got = fig_window_event(a->window, a->paused ? -1 : left, &ev, err, errlen);
        if (got < 0) return -1;
        if (!got) return 0; /* the next frame is due */
        if (ev.kind == GDLAB_EVENT_CLOSE) return 0;
        if (ev.kind == GDLAB_EVENT_PAUSE) a->paused = !a->paused;
        if (ev.kind == GDLAB_EVENT_STEP && a->paused) return 0;
        if (!a->paused) a->due = fmax(a->due, now_s()); /* resumed: no burst of late frames */
    }
}

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
    a->delay_cs = (int)lround(100.0 / fps);
    a->cfg.window = NULL;
    if (cfg->window)
        a->window = fig_window_open(cfg->frame.title, w, h, err, errlen);
    else
        a->sink = fig_frame_sink_open(a->path, w, h, fps, !cfg->once, err, errlen);
    if (!a->sink && !a->window) {
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
    if (a->window ? play_frame(a, buf, sizeof buf) : fig_frame_sink_frame(a->sink, a->rgb, buf, sizeof buf)) {
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
    if (a->window) { /* the last frame stays until the reader closes the window */
        gdlab_event ev;
        while (!rc && !a->dispose && !fig_window_closed(a->window))
            if (fig_window_event(a->window, -1, &ev, buf, sizeof buf) < 0) rc = -1;
        fig_window_destroy(a->window);
    } else if (rc) /* an animation cut short is not written: the old file stays */
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

int gdlab_animation_dispose(gdlab_animation *a)
{
    if (a) a->dispose = 1;
    return gdlab_animation_close(a, NULL, 0);
}

size_t gdlab_animation_frames(const gdlab_animation *a)
{
    return a->frames;
}

const char *gdlab_animation_path(const gdlab_animation *a)
{
    return a->path;
}
