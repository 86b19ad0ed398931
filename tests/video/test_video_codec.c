/* SPDX-License-Identifier: MIT */
/* video.c on its own (compiled into this test: its symbols are internal to libgdlab-figure): an encoder
 * this FFmpeg lacks is an error naming it and writes nothing; a video without frames leaves no file;
 * a video's file appears only when it is closed. What the encoded files contain is checked by ffprobe,
 * ffmpeg and PIL in video_test.sh. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "frame_sink.h"

static char err[1024];
static char dir[] = "/tmp/gdlab_test_video_XXXXXX";

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/clip.mp4", dir);

    /* a codec name no FFmpeg has stands for an FFmpeg built without libx264 */
    CHECK(fig_video_open(path, "mp4", "libx264_missing", "H.264", 64, 48, 10, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "clip.mp4': this FFmpeg has no H.264 encoder (libx264_missing); write a .gif");
    CHECK(access(path, F_OK) != 0);

    /* opened and closed without frames: no file, no temporary */
    fig_video *v = fig_video_open(path, "mp4", "libx264", "H.264", 64, 48, 10, err, sizeof err);
    CHECK(v != NULL);
    CHECK(v && fig_video_close(v, err, sizeof err) == 0);
    CHECK(access(path, F_OK) != 0);

    /* five frames: a file appears only at close */
    unsigned char *rgb = calloc(64 * 48, 3);
    v = fig_video_open(path, "mp4", "libx264", "H.264", 64, 48, 10, err, sizeof err);
    for (int k = 0; v && k < 5; k++) {
        memset(rgb, 40 * k, 64 * 48 * 3);
        CHECK(fig_video_frame(v, rgb, err, sizeof err) == 0);
    }
    CHECK(access(path, F_OK) != 0);
    CHECK(v && fig_video_close(v, err, sizeof err) == 0);
    CHECK(access(path, F_OK) == 0);
    free(rgb);

    /* the format list the messages give */
    CHECK(strcmp(fig_frame_formats(), "gif, mp4, webm") == 0);
    remove(path);
    rmdir(dir);
    return CHECK_RESULT();
}
