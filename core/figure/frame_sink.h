/* SPDX-License-Identifier: MIT */
/* frame_sink.h — where an animation's frames go (core/figure/frame_sink.c): a GIF (gif.c) or a video
 * (video.c), chosen by the file's extension. Frames are width × height RGB pixels, 3 bytes each, rows
 * top to bottom. Not installed. */
#ifndef GDLAB_FRAME_SINK_H
#define GDLAB_FRAME_SINK_H

#include <stddef.h>

typedef struct fig_frame_sink fig_frame_sink;

/* By path's extension: .gif (loop: repeat forever), .mp4 (H.264), .webm (VP9). An unknown extension or
 * a codec this FFmpeg lacks is an error naming the path and what is available. */
fig_frame_sink *fig_frame_sink_open(const char *path, int width, int height, double fps, int loop, char *err,
                                    size_t errlen);
int fig_frame_sink_frame(fig_frame_sink *s, const unsigned char *rgb, char *err, size_t errlen);
/* Finish the file and free s (in all cases). frames == 0: write nothing (a file without frames is no
 * animation). */
int fig_frame_sink_close(fig_frame_sink *s, char *err, size_t errlen);
/* Give up: nothing is written (an existing file stays as it was), s is freed. */
void fig_frame_sink_abort(fig_frame_sink *s);

/* "gif, mp4, webm" */
const char *fig_frame_formats(void);

/* Videos through FFmpeg's libraries (video.c): container "mp4" or "webm", codec the FFmpeg encoder
 * ("libx264", "libvpx-vp9"), codec_title its name for people ("H.264"). An encoder this FFmpeg lacks is
 * an error naming both, and nothing is written. */
typedef struct fig_video fig_video;
fig_video *fig_video_open(const char *path, const char *container, const char *codec, const char *codec_title,
                          int width, int height, double fps, char *err, size_t errlen);
int fig_video_frame(fig_video *v, const unsigned char *rgb, char *err, size_t errlen);
int fig_video_close(fig_video *v, char *err, size_t errlen);
void fig_video_abort(fig_video *v); /* nothing written, v freed */

#endif
