/* SPDX-License-Identifier: MIT */
/* test_gif — the GIF writer (core/figure/gif.c) read back by a small GIF decoder written here from
 * the format's description: a few-colour image comes back exactly, frame after frame (only the
 * changed rectangle stored, the rest transparent); long noisy images that fill the LZW table come
 * back exactly; an image of thousands of colours comes back close; the byte structure (header, size,
 * NETSCAPE2.0 loop, delays, trailer) is right; errors are messages. Then an animation of figures
 * drawn in memory through the C API. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gdlab/figure.h"

/* ---------------------------------------------------------------------------------------------
 * A minimal GIF decoder: every frame composited onto a canvas (disposal "leave in place").
 * ------------------------------------------------------------------------------------------- */
#define MAX_FRAMES 64

typedef struct gif_doc {
    int w, h, frames, loop, loop_count;
    int delay[MAX_FRAMES];
    int rect[MAX_FRAMES][4]; /* x, y, w, h */
    unsigned char *canvas[MAX_FRAMES]; /* RGB after each frame */
} gif_doc;

static int lzw_decode(const unsigned char *data, size_t len, int min_size, unsigned char *out, size_t out_n)
{
    static uint16_t prefix[4096];
    static unsigned char suffix[4096], stack[4097];
    const int clear = 1 << min_size, eoi = clear + 1;
    int size = min_size + 1, next = eoi + 1, prev = -1;
    for (int i = 0; i < clear; i++) suffix[i] = (unsigned char)i;
    size_t o = 0, bitpos = 0;
    for (;;) {
        if (bitpos + (size_t)size > 8 * len) return -1; /* no end-of-information code */
        int code = 0;
        for (int b = 0; b < size; b++, bitpos++) code |= ((data[bitpos / 8] >> (bitpos % 8)) & 1) << b;
        if (code == clear) {
            size = min_size + 1, next = eoi + 1, prev = -1;
            continue;
        }
        if (code == eoi) break;
        if (prev < 0) {
            if (code >= clear || o >= out_n) return -1;
            out[o++] = (unsigned char)code;
            prev = code;
            continue;
        }
        if (code > next) return -1;
        int sp = 0, c = code == next ? prev : code; /* code == next: prev's string + its first char */
        while (c >= clear) stack[sp++] = suffix[c], c = prefix[c];
        stack[sp++] = (unsigned char)c;
        const unsigned char first = (unsigned char)c;
        while (sp > 0) {
            if (o >= out_n) return -1;
            out[o++] = stack[--sp];
        }
        if (code == next) {
            if (o >= out_n) return -1;
            out[o++] = first;
        }
        if (next < 4096) {
            prefix[next] = (uint16_t)prev, suffix[next] = first;
            next++;
            if (next == (1 << size) && size < 12) size++;
        }
        prev = code;
    }
    return o == out_n ? 0 : -1;
}

static int decode_gif(const unsigned char *d, size_t n, gif_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    if (n < 13 || memcmp(d, "GIF89a", 6) != 0) return -1;
    doc->w = d[6] | d[7] << 8, doc->h = d[8] | d[9] << 8;
    if (d[10] & 0x80) return -1; /* the writer uses local tables only */
    size_t p = 13;
    unsigned char *canvas = calloc((size_t)doc->w * (size_t)doc->h, 3);
    int transparent = -1, delay = 0;
    while (p < n) {
        if (d[p] == 0x3B) { /* trailer */
            free(canvas);
            return p + 1 == n ? 0 : -1;
        }
        if (d[p] == 0x21) { /* extension */
            const int label = d[p + 1];
            p += 2;
            if (label == 0xF9) {
                transparent = d[p + 1] & 1 ? d[p + 4] : -1;
                delay = d[p + 2] | d[p + 3] << 8;
            } else if (label == 0xFF && d[p] == 11 && memcmp(d + p + 1, "NETSCAPE2.0", 11) == 0) {
                doc->loop = 1;
                doc->loop_count = d[p + 14] | d[p + 15] << 8;
            }
            while (d[p]) p += (size_t)d[p] + 1;
            p++;
            continue;
        }
        if (d[p] != 0x2C || doc->frames >= MAX_FRAMES) break;
        const int x0 = d[p + 1] | d[p + 2] << 8, y0 = d[p + 3] | d[p + 4] << 8;
        const int rw = d[p + 5] | d[p + 6] << 8, rh = d[p + 7] | d[p + 8] << 8, packed = d[p + 9];
        p += 10;
        if (!(packed & 0x80) || x0 + rw > doc->w || y0 + rh > doc->h) break;
        const unsigned char *pal = d + p;
        p += 3 * ((size_t)2 << (packed & 7));
        const int min_size = d[p++];
        unsigned char *data = malloc(n), *idx = malloc((size_t)rw * (size_t)rh);
        size_t len = 0;
        while (d[p]) {
            memcpy(data + len, d + p + 1, d[p]);
            len += d[p];
            p += (size_t)d[p] + 1;
        }
        p++;
        const int rc = lzw_decode(data, len, min_size, idx, (size_t)rw * (size_t)rh);
        for (int y = 0; !rc && y < rh; y++)
            for (int x = 0; x < rw; x++) {
                const int v = idx[(size_t)y * (size_t)rw + (size_t)x];
                if (v == transparent) continue;
                memcpy(canvas + 3 * ((size_t)(y0 + y) * (size_t)doc->w + (size_t)(x0 + x)), pal + 3 * v, 3);
            }
        free(data), free(idx);
        if (rc) break;
        const int f = doc->frames++;
        doc->delay[f] = delay;
        doc->rect[f][0] = x0, doc->rect[f][1] = y0, doc->rect[f][2] = rw, doc->rect[f][3] = rh;
        doc->canvas[f] = malloc((size_t)doc->w * (size_t)doc->h * 3);
        memcpy(doc->canvas[f], canvas, (size_t)doc->w * (size_t)doc->h * 3);
        transparent = -1;
    }
    free(canvas);
    return -1;
}

static void free_doc(gif_doc *doc)
{
    for (int f = 0; f < doc->frames; f++) free(doc->canvas[f]);
}

static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc(*n ? *n : 1);
    if (fread(d, 1, *n, f) != *n) *n = 0;
    fclose(f);
    return d;
}

static int load_gif(const char *path, gif_doc *doc, unsigned char **bytes, size_t *n)
{
    *bytes = read_file(path, n);
    if (!*bytes) return -1;
    return decode_gif(*bytes, *n, doc);
}

static char dir[256];

/* ---------------------------------------------------------------------------------------------
 * The tests.
 * ------------------------------------------------------------------------------------------- */
static void test_few_colours_come_back_exactly_frame_by_frame(void)
{
    enum { W = 7, H = 5 };
    static const unsigned char colours[5][3] = {{255, 255, 255}, {0, 0, 0}, {224, 60, 49}, {31, 119, 180}, {1, 2, 3}};
    unsigned char f1[W * H * 3], f2[W * H * 3];
    for (int i = 0; i < W * H; i++) memcpy(f1 + 3 * i, colours[(i * 7 + i / 3) % 5], 3);
    memcpy(f2, f1, sizeof f1);
    for (int y = 1; y <= 2; y++) /* a 2 x 2 block changes */
        for (int x = 3; x <= 4; x++) memcpy(f2 + 3 * (y * W + x), colours[2], 3);
    char path[300], err[GDLAB_ERRLEN];
    snprintf(path, sizeof path, "%s/few.gif", dir);
    gdlab_gif *g = gdlab_gif_open(path, W, H, 1, err, sizeof err);
    CHECK(g != NULL);
    if (!g) return;
    CHECK(gdlab_gif_frame(g, f1, 7, err, sizeof err) == 0);
    CHECK(gdlab_gif_frame(g, f2, 7, err, sizeof err) == 0);
    CHECK(gdlab_gif_frame(g, f2, 20, err, sizeof err) == 0); /* unchanged: one transparent pixel */
    CHECK(gdlab_gif_frames(g) == 3);
    CHECK(gdlab_gif_close(g, err, sizeof err) == 0);
    gif_doc doc;
    unsigned char *bytes;
    size_t n;
    CHECK(load_gif(path, &doc, &bytes, &n) == 0);
    CHECK(doc.w == W && doc.h == H && doc.frames == 3);
    CHECK(doc.loop == 1 && doc.loop_count == 0);
    CHECK(doc.delay[0] == 7 && doc.delay[1] == 7 && doc.delay[2] == 20);
    if (doc.frames == 3) {
        CHECK(memcmp(doc.canvas[0], f1, sizeof f1) == 0);
        CHECK(memcmp(doc.canvas[1], f2, sizeof f2) == 0);
        CHECK(memcmp(doc.canvas[2], f2, sizeof f2) == 0);
        CHECK(doc.rect[1][0] == 3 && doc.rect[1][1] == 1 && doc.rect[1][2] == 2 && doc.rect[1][3] == 2);
        CHECK(doc.rect[2][2] == 1 && doc.rect[2][3] == 1);
    }
    /* The bytes: header, logical screen, the loop extension right after it, the trailer. */
    CHECK(n > 40 && memcmp(bytes, "GIF89a", 6) == 0 && bytes[6] == W && bytes[8] == H);
    CHECK(memcmp(bytes + 13, "\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19) == 0);
    CHECK(bytes[n - 1] == 0x3B);
    free(bytes);
    free_doc(&doc);

    /* loop = 0: no NETSCAPE2.0 extension, the animation plays once. */
    g = gdlab_gif_open(path, W, H, 0, err, sizeof err);
    CHECK(g && gdlab_gif_frame(g, f1, 10, err, sizeof err) == 0);
    CHECK(gdlab_gif_close(g, err, sizeof err) == 0);
    CHECK(load_gif(path, &doc, &bytes, &n) == 0);
    CHECK(doc.loop == 0 && doc.frames == 1);
    free(bytes);
    free_doc(&doc);
    remove(path);
}

static void test_long_noisy_images_fill_the_code_table_and_come_back_exactly(void)
{
    enum { W = 300, H = 200 };
    static unsigned char f[2][W * H * 3];
    uint32_t r = 12345;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < W * H; i++) {
            r = r * 1103515245u + 12345u;
            const int c = (int)(r >> 16) % 200; /* 200 colours: 8-bit codes, many table resets */
            f[k][3 * i] = (unsigned char)(c % 8 * 32), f[k][3 * i + 1] = (unsigned char)(c / 8 % 5 * 50);
            f[k][3 * i + 2] = (unsigned char)(c / 40 * 50);
        }
    char path[300], err[GDLAB_ERRLEN];
    snprintf(path, sizeof path, "%s/noise.gif", dir);
    gdlab_gif *g = gdlab_gif_open(path, W, H, 1, err, sizeof err);
    CHECK(g && gdlab_gif_frame(g, f[0], 5, err, sizeof err) == 0 && gdlab_gif_frame(g, f[1], 5, err, sizeof err) == 0);
    CHECK(gdlab_gif_close(g, err, sizeof err) == 0);
    gif_doc doc;
    unsigned char *bytes;
    size_t n;
    CHECK(load_gif(path, &doc, &bytes, &n) == 0);
    CHECK(doc.frames == 2);
    if (doc.frames == 2) {
        CHECK(memcmp(doc.canvas[0], f[0], sizeof f[0]) == 0);
        CHECK(memcmp(doc.canvas[1], f[1], sizeof f[1]) == 0);
    }
    free(bytes);
    free_doc(&doc);
    remove(path);
}

static void test_thousands_of_colours_come_back_close(void)
{
    enum { W = 128, H = 96 };
    static unsigned char f[W * H * 3];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            unsigned char *p = f + 3 * (y * W + x);
            p[0] = (unsigned char)(2 * x), p[1] = (unsigned char)(255 - 2 * y), p[2] = (unsigned char)((x + y) & 255);
        }
    char path[300], err[GDLAB_ERRLEN];
    snprintf(path, sizeof path, "%s/gradient.gif", dir);
    gdlab_gif *g = gdlab_gif_open(path, W, H, 1, err, sizeof err);
    CHECK(g && gdlab_gif_frame(g, f, 10, err, sizeof err) == 0);
    CHECK(gdlab_gif_close(g, err, sizeof err) == 0);
    gif_doc doc;
    unsigned char *bytes;
    size_t n;
    CHECK(load_gif(path, &doc, &bytes, &n) == 0);
    CHECK(doc.frames == 1);
    if (doc.frames == 1) {
        double sum = 0;
        int worst = 0;
        for (int i = 0; i < W * H * 3; i++) {
            const int e = abs(doc.canvas[0][i] - f[i]);
            sum += e;
            if (e > worst) worst = e;
        }
        printf("gradient of %d colours: mean error %.2f, worst %d (of 255)\n", W * H, sum / (W * H * 3), worst);
        CHECK(sum / (W * H * 3) < 6.0);
        CHECK(worst < 48);
    }
    free(bytes);
    free_doc(&doc);
    remove(path);
}

static void test_errors_are_messages(void)
{
    char err[GDLAB_ERRLEN];
    CHECK(gdlab_gif_open("/nonexistent-dir/x.gif", 10, 10, 1, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "cannot write GIF '/nonexistent-dir/x.gif': its folder '/nonexistent-dir' does not exist");
    CHECK(gdlab_gif_open("x.gif", 0, 10, 1, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "out of range");
    gdlab_animation_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.path = "x.gif";
    cfg.fps = 100;
    CHECK(gdlab_animation_open(&cfg, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "0.5 to 50");
}

/* Frames drawn as figures in memory: a point moving along a line. */
static void test_an_animation_of_figures_is_a_gif_of_its_frames(void)
{
    char path[300], err[GDLAB_ERRLEN];
    snprintf(path, sizeof path, "%s/anim.gif", dir);
    gdlab_animation_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.path = path;
    cfg.fps = 4;
    cfg.frame.width = 320, cfg.frame.height = 240;
    cfg.frame.title = "moving";
    gdlab_animation *a = gdlab_animation_open(&cfg, err, sizeof err);
    CHECK(a != NULL);
    if (!a) return;
    const double xs[] = {0, 1, 2, 3, 4}, ys[] = {0, 1, 4, 9, 16};
    for (int k = 1; k <= 4; k++) {
        char title[32];
        snprintf(title, sizeof title, "step %d", k);
        gdlab_figure *fig = gdlab_animation_frame(a, title, err, sizeof err);
        CHECK(fig != NULL);
        if (!fig) break;
        gdlab_axes ax;
        gdlab_axes_defaults(&ax);
        ax.xmin = 0, ax.xmax = 4, ax.ymin = 0, ax.ymax = 16;
        gdlab_series s;
        memset(&s, 0, sizeof s);
        s.x = xs, s.y = ys, s.n = (size_t)k + 1, s.width = 2, s.color = gdlab_figure_palette(fig, 0);
        s.marker = GDLAB_MARKER_CIRCLE;
        CHECK(gdlab_figure_lines(fig, &ax, &s, 1, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) == 0);
    }
    CHECK(gdlab_animation_frames(a) == 3); /* the fourth ends at close */
    CHECK(gdlab_animation_close(a, err, sizeof err) == 0);
    gif_doc doc;
    unsigned char *bytes;
    size_t n;
    CHECK(load_gif(path, &doc, &bytes, &n) == 0);
    CHECK(doc.frames == 4 && doc.w == 320 && doc.h == 240 && doc.loop == 1);
    CHECK(doc.delay[0] == 25);
    if (doc.frames == 4) { /* later frames store only part of the picture, and differ */
        CHECK(doc.rect[1][2] * doc.rect[1][3] < 320 * 240);
        CHECK(memcmp(doc.canvas[0], doc.canvas[3], 320 * 240 * 3) != 0);
        int dark = 0; /* ink: text and axes */
        for (int i = 0; i < 320 * 240; i++) dark += doc.canvas[3][3 * i] < 100;
        CHECK(dark > 200);
    }
    free(bytes);
    free_doc(&doc);
    remove(path);

    /* No frames: an error, and no file. */
    a = gdlab_animation_open(&cfg, err, sizeof err);
    CHECK(a && gdlab_animation_close(a, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "no frames");
    CHECK(access(path, F_OK) != 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gdlab-gif-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    test_few_colours_come_back_exactly_frame_by_frame();
    test_long_noisy_images_fill_the_code_table_and_come_back_exactly();
    test_thousands_of_colours_come_back_close();
    test_errors_are_messages();
    test_an_animation_of_figures_is_a_gif_of_its_frames();
    rmdir(dir);
    return CHECK_RESULT();
}
