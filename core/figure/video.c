/* SPDX-License-Identifier: MIT */
/* video.c — an animation as a video file through FFmpeg's libraries: H.264 in MP4 (libx264) or VP9
 * in WebM (libvpx-vp9), both in 4:2:0 YUV, which every browser and player shows.
 *
 * RGB frames are converted (and, for an odd width or height, stretched by one pixel to even sizes,
 * which 4:2:0 needs) by libswscale, encoded at constant quality (x264 CRF 23; VP9 CRF 32 with no
 * bitrate cap, FFmpeg's documented constant-quality mode), and muxed into a file written through
 * gdlab_output: a temporary file renamed into place when the trailer is written, so a failed or
 * interrupted encoding never leaves half a video. Frame n has presentation time n / fps. */
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_sink.h"
#include "gdlab/output.h"
#include "gdlab/save.h"

struct fig_video {
    char *path;
    gdlab_output *out;
    AVFormatContext *fc;
    AVIOContext *io;
    AVCodecContext *cc;
    AVStream *st;
    AVFrame *frame;
    AVPacket *pkt;
    struct SwsContext *sws;
    int width, height; /* of the RGB frames */
    int64_t frames;
    int header_written;
};

/* FFmpeg's error code as text, after what failed. */
static int fail(fig_video *v, int code, const char *what, char *err, size_t errlen)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(code, text, sizeof text);
    snprintf(err, errlen, "video '%s': %s: %s", v->path, what, text);
    return -1;
}

/* The muxer writes through these into the temporary file (gdlab_output). */
static int write_packet(void *opaque, uint8_t *buf, int size) /* FFmpeg 5: not const */
{
    FILE *f = gdlab_output_stream(opaque);
    return fwrite(buf, 1, (size_t)size, f) == (size_t)size ? size : AVERROR(EIO);
}

static int64_t seek_packet(void *opaque, int64_t offset, int whence)
{
    FILE *f = gdlab_output_stream(opaque);
    if (whence & AVSEEK_SIZE) return -1; /* "size unknown" is allowed; the muxers do not need it */
    if (fseeko(f, (off_t)offset, whence & ~AVSEEK_FORCE) != 0) return AVERROR(errno);
    return (int64_t)ftello(f);
}

static void free_video(fig_video *v)
{
    if (v->io) av_freep(&v->io->buffer);
    avio_context_free(&v->io);
    avformat_free_context(v->fc);
    avcodec_free_context(&v->cc);
    av_frame_free(&v->frame);
    av_packet_free(&v->pkt);
    sws_freeContext(v->sws);
    gdlab_output_abort(v->out); /* NULL once committed */
    free(v->path);
    free(v);
}

/* The encoder's options: constant quality, and for VP9 a speed fit for many frames. */
static void set_quality(AVCodecContext *cc, const char *codec)
{
    if (strcmp(codec, "libx264") == 0) {
        av_opt_set(cc->priv_data, "preset", "medium", 0);
        av_opt_set(cc->priv_data, "crf", "23", 0);
    } else {
        cc->bit_rate = 0; /* with crf: constant quality */
        av_opt_set(cc->priv_data, "crf", "32", 0);
        av_opt_set(cc->priv_data, "deadline", "good", 0);
        av_opt_set(cc->priv_data, "cpu-used", "4", 0);
        av_opt_set(cc->priv_data, "row-mt", "1", 0);
    }
}

fig_video *fig_video_open(const char *path, const char *container, const char *codec_name, const char *codec_title,
                          int width, int height, double fps, char *err, size_t errlen)
{
    av_log_set_level(AV_LOG_ERROR); /* encoders' statistics are not gdlab's output */
    const AVCodec *codec = avcodec_find_encoder_by_name(codec_name);
    if (!codec) {
        snprintf(err, errlen, "animation '%s': this FFmpeg has no %s encoder (%s); write a .gif, or install an "
                 "FFmpeg built with it", path, codec_title, codec_name);
        return NULL;
    }
    fig_video *v = calloc(1, sizeof *v);
    if (!v || !(v->path = strdup(path))) {
        snprintf(err, errlen, "animation '%s': out of memory", path);
        free(v);
        return NULL;
    }
    v->width = width, v->height = height;
    const int w = (width + 1) & ~1, h = (height + 1) & ~1;
    int rc = avformat_alloc_output_context2(&v->fc, NULL, container, NULL);
    if (rc < 0) goto ffmpeg_failed;
    if (!(v->st = avformat_new_stream(v->fc, NULL)) || !(v->cc = avcodec_alloc_context3(codec)) ||
        !(v->frame = av_frame_alloc()) || !(v->pkt = av_packet_alloc())) {
        rc = AVERROR(ENOMEM);
        goto ffmpeg_failed;
    }
    AVCodecContext *cc = v->cc;
    cc->width = w, cc->height = h;
    cc->pix_fmt = AV_PIX_FMT_YUV420P;
    cc->framerate = av_d2q(fps, 100000);
    cc->time_base = av_inv_q(cc->framerate);
    cc->gop_size = 50;
    if (v->fc->oformat->flags & AVFMT_GLOBALHEADER) cc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    set_quality(cc, codec_name);
    if ((rc = avcodec_open2(cc, codec, NULL)) < 0) {
        fail(v, rc, "cannot open the encoder", err, errlen);
        free_video(v);
        return NULL;
    }
    if ((rc = avcodec_parameters_from_context(v->st->codecpar, cc)) < 0) goto ffmpeg_failed;
    v->st->time_base = cc->time_base;
    v->st->avg_frame_rate = cc->framerate;
    v->frame->format = cc->pix_fmt, v->frame->width = w, v->frame->height = h;
    if ((rc = av_frame_get_buffer(v->frame, 0)) < 0) goto ffmpeg_failed;
    v->sws = sws_getContext(width, height, AV_PIX_FMT_RGB24, w, h, AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
    if (!v->sws) {
        rc = AVERROR(ENOMEM);
        goto ffmpeg_failed;
    }
    /* open the file last: every failure above leaves nothing on disk */
    if (!(v->out = gdlab_output_open(path, "video", err, errlen))) {
        free_video(v);
        return NULL;
    }
    const int io_size = 1 << 16;
    unsigned char *io_buf = av_malloc(io_size);
    if (!io_buf || !(v->io = avio_alloc_context(io_buf, io_size, 1, v->out, NULL, write_packet, seek_packet))) {
        av_free(io_buf);
        rc = AVERROR(ENOMEM);
        goto ffmpeg_failed;
    }
    v->fc->pb = v->io;
    if ((rc = avformat_write_header(v->fc, NULL)) < 0) {
        fail(v, rc, "cannot write the header", err, errlen);
        free_video(v);
        return NULL;
    }
    v->header_written = 1;
    return v;
ffmpeg_failed:
    fail(v, rc, "cannot set up the encoder", err, errlen);
    free_video(v);
    return NULL;
}

/* Send one frame (NULL: the end) and write every packet the encoder has ready. */
static int encode(fig_video *v, AVFrame *frame, char *err, size_t errlen)
{
    int rc = avcodec_send_frame(v->cc, frame);
    if (rc < 0) return fail(v, rc, "cannot encode a frame", err, errlen);
    while ((rc = avcodec_receive_packet(v->cc, v->pkt)) >= 0) {
        av_packet_rescale_ts(v->pkt, v->cc->time_base, v->st->time_base);
        v->pkt->stream_index = v->st->index;
        rc = av_interleaved_write_frame(v->fc, v->pkt); /* takes the packet's data */
        if (rc < 0) return fail(v, rc, "cannot write a frame", err, errlen);
    }
    return rc == AVERROR(EAGAIN) || rc == AVERROR_EOF ? 0 : fail(v, rc, "cannot encode a frame", err, errlen);
}

int fig_video_frame(fig_video *v, const unsigned char *rgb, char *err, size_t errlen)
{
    int rc = av_frame_make_writable(v->frame); /* the encoder may still hold the last one */
    if (rc < 0) return fail(v, rc, "cannot encode a frame", err, errlen);
    const uint8_t *src[1] = {rgb};
    const int stride[1] = {3 * v->width};
    sws_scale(v->sws, src, stride, 0, v->height, v->frame->data, v->frame->linesize);
    v->frame->pts = v->frames;
    if (encode(v, v->frame, err, errlen)) return -1;
    v->frames++;
    return 0;
}

void fig_video_abort(fig_video *v)
{
    free_video(v); /* the temporary file is removed, an existing file stays */
}

int fig_video_close(fig_video *v, char *err, size_t errlen)
{
    int failed = 0;
    if (v->frames > 0) {
        failed = encode(v, NULL, err, errlen);
        int rc;
        if (!failed && (rc = av_write_trailer(v->fc)) < 0) failed = fail(v, rc, "cannot finish the file", err, errlen);
        if (!failed) avio_flush(v->io);
        if (!failed && v->io->error < 0) failed = fail(v, v->io->error, "cannot write", err, errlen);
        if (!failed) {
            gdlab_output *out = v->out;
            v->out = NULL;
            failed = gdlab_output_commit(out, err, errlen);
        }
    }
    free_video(v); /* without frames (or after a failure) the temporary file is removed */
    return failed ? -1 : 0;
}
