/* SPDX-License-Identifier: MIT */
/* frame_sink.c — an animation's frames to the file its extension names: GIF (our own encoder, gif.c)
 * or a video through FFmpeg (video.c). The one place that knows which extensions exist. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frame_sink.h"
#include "gdlab/figure.h"

struct fig_frame_sink {
    gdlab_gif *gif;
    fig_video *video;
    int delay_cs; /* GIF: hundredths of a second per frame */
};

static const struct {
    const char *extension, *container, *codec, *codec_title; /* container NULL: GIF */
} formats[] = {
    {".gif", NULL, NULL, NULL},
    {".mp4", "mp4", "libx264", "H.264"},
    {".webm", "webm", "libvpx-vp9", "VP9"},
};

const char *fig_frame_formats(void)
{
    return "gif, mp4, webm";
}

fig_frame_sink *fig_frame_sink_open(const char *path, int width, int height, double fps, int loop, char *err,
                                    size_t errlen)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (dot && slash && dot < slash) dot = NULL;
    size_t i = 0;
    while (i < sizeof formats / sizeof *formats && !(dot && strcasecmp(dot, formats[i].extension) == 0)) i++;
    if (i == sizeof formats / sizeof *formats) {
        snprintf(err, errlen, "animation '%s': unknown format '%s'; available: %s (by the extension)", path,
                 dot ? dot : "(no extension)", fig_frame_formats());
        return NULL;
    }
    fig_frame_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "animation '%s': out of memory", path);
        return NULL;
    }
    if (formats[i].container)
        s->video = fig_video_open(path, formats[i].container, formats[i].codec, formats[i].codec_title, width,
                                  height, fps, err, errlen);
    else
        s->gif = gdlab_gif_open(path, width, height, loop, err, errlen);
    if (!s->video && !s->gif) {
        free(s);
        return NULL;
    }
    s->delay_cs = (int)lround(100.0 / fps);
    return s;
}

int fig_frame_sink_frame(fig_frame_sink *s, const unsigned char *rgb, char *err, size_t errlen)
{
    return s->video ? fig_video_frame(s->video, rgb, err, errlen) : gdlab_gif_frame(s->gif, rgb, s->delay_cs, err, errlen);
}

int fig_frame_sink_close(fig_frame_sink *s, char *err, size_t errlen)
{
    const int rc = s->video ? fig_video_close(s->video, err, errlen) : gdlab_gif_close(s->gif, err, errlen);
    free(s);
    return rc;
}

void fig_frame_sink_abort(fig_frame_sink *s)
{
    if (s->video)
        fig_video_abort(s->video);
    else
        gdlab_gif_abort(s->gif);
    free(s);
}
