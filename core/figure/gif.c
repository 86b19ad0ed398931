/* SPDX-License-Identifier: MIT */
/* gif.c — animated GIF files (GIF89a), written frame by frame.
 *
 * Each frame is RGB pixels. Only the rectangle that changed since the frame before is stored, and the
 * unchanged pixels inside it are transparent, so still parts of a picture (axes, a filled map) are
 * stored once and never flicker. The stored pixels get a palette of their own: their exact colours
 * when they have at most 255, else a median cut of their colours (on a 5-5-5 bit histogram, each box
 * represented by the mean of its pixels, each bin drawn in the palette colour nearest its mean). Codes are LZW-packed as the GIF format wants (variable code
 * size up to 12 bits, a clear code when the table is full). A NETSCAPE2.0 extension makes the file
 * loop. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/figure.h"
#include "gdlab/output.h"

#define BINS 32768 /* 5 bits per channel */
#define MAX_COLORS 255 /* + 1 transparent index */

struct gdlab_gif {
    gdlab_output *out;    /* the file (gdlab/output.h): whole or not at all */
    FILE *f;              /* its stream */
    char *path;
    int width, height;
    size_t frames;
    unsigned char *prev;  /* the previous frame's pixels */
    unsigned char *index; /* palette index of each stored pixel */
    /* the colour histogram */
    uint32_t *count;
    uint64_t *sum;        /* r, g, b sums per bin */
    /* the exact colours of a frame, while there are at most MAX_COLORS: a hash set */
    uint32_t exact_key[512];
    int16_t exact_index[512];
    int n_exact, too_many;
    uint16_t *used;       /* the bins holding pixels */
    uint16_t *sorted;     /* scratch for sorting them */
    unsigned char *lut;   /* bin -> palette index */
    unsigned char *lzw;   /* the packed codes of a frame */
    size_t lzw_len, lzw_cap;
    int failed;           /* a write failed: close reports it */
};

static int bin_of(const unsigned char *p)
{
    return (p[0] >> 3) << 10 | (p[1] >> 3) << 5 | p[2] >> 3;
}

/* ------------------------------------------------------------------------------------------------
 * Colours: a palette for the pixels px[i] that are stored (mask[i] set, or all when mask is NULL).
 * ---------------------------------------------------------------------------------------------- */

typedef struct box {
    size_t lo, hi;  /* bins used[lo..hi) */
    uint64_t n;     /* pixels */
    int axis, range;
} box;

/* Sort the bins used[lo..hi) by their mean along axis (a counting sort: means are 0..255). */
static void sort_bins(gdlab_gif *g, size_t lo, size_t hi, int axis, uint16_t *tmp)
{
    size_t start[257] = {0};
    for (size_t i = lo; i < hi; i++) {
        const uint16_t b = g->used[i];
        start[g->sum[3 * (size_t)b + (size_t)axis] / g->count[b] + 1]++;
    }
    for (int v = 0; v < 256; v++) start[v + 1] += start[v];
    for (size_t i = lo; i < hi; i++) {
        const uint16_t b = g->used[i];
        tmp[start[g->sum[3 * (size_t)b + (size_t)axis] / g->count[b]]++] = b;
    }
    memcpy(g->used + lo, tmp, (hi - lo) * sizeof *tmp);
}

static void measure(const gdlab_gif *g, box *bx)
{
    int lo[3] = {255, 255, 255}, hi[3] = {0, 0, 0};
    bx->n = 0;
    for (size_t i = bx->lo; i < bx->hi; i++) {
        const uint16_t b = g->used[i];
        bx->n += g->count[b];
        for (int c = 0; c < 3; c++) {
            const int v = (int)(g->sum[3 * (size_t)b + (size_t)c] / g->count[b]);
            if (v < lo[c]) lo[c] = v;
            if (v > hi[c]) hi[c] = v;
        }
    }
    bx->axis = 0, bx->range = -1;
    for (int c = 0; c < 3; c++)
        if (hi[c] - lo[c] > bx->range) bx->axis = c, bx->range = hi[c] - lo[c];
}

/* The slot of colour c (0xRRGGBB) in the exact-colour set: where it is, or the free slot for it. */
static int exact_slot(const gdlab_gif *g, uint32_t c)
{
    uint32_t h = (c * 2654435761u) >> 23; /* 9 bits */
    while (g->exact_index[h] >= 0 && g->exact_key[h] != c) h = (h + 1) & 511;
    return (int)h;
}

/* Count a stored pixel's colour. */
static void add_color(gdlab_gif *g, const unsigned char *p, size_t *n_used)
{
    const int b = bin_of(p);
    if (g->count[b]++ == 0) g->used[(*n_used)++] = (uint16_t)b;
    g->sum[3 * (size_t)b] += p[0], g->sum[3 * (size_t)b + 1] += p[1], g->sum[3 * (size_t)b + 2] += p[2];
    if (g->too_many) return;
    const uint32_t c = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    const int h = exact_slot(g, c);
    if (g->exact_index[h] >= 0) return;
    if (g->n_exact == MAX_COLORS) {
        g->too_many = 1;
        return;
    }
    g->exact_key[h] = c, g->exact_index[h] = (int16_t)g->n_exact++;
}

/* The palette index of a stored pixel. */
static int color_index(const gdlab_gif *g, const unsigned char *p)
{
    if (g->too_many) return g->lut[bin_of(p)];
    return g->exact_index[exact_slot(g, (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2])];
}

/* Fill pal (3 bytes a colour) for the colours counted; returns their number. */
static int build_palette(gdlab_gif *g, size_t n_used, unsigned char *pal)
{
    if (!g->too_many) { /* few colours: exactly those */
        for (int h = 0; h < 512; h++) {
            const int i = g->exact_index[h];
            if (i < 0) continue;
            const uint32_t c = g->exact_key[h];
            pal[3 * i] = (unsigned char)(c >> 16), pal[3 * i + 1] = (unsigned char)(c >> 8);
            pal[3 * i + 2] = (unsigned char)c;
        }
        return g->n_exact;
    }
    box boxes[MAX_COLORS];
    int n = 1;
    boxes[0] = (box){0, n_used, 0, 0, 0};
    measure(g, &boxes[0]);
    while (n < MAX_COLORS) { /* split the box that is widest, weighted by how many pixels it holds */
        int best = -1;
        double score = 0;
        for (int k = 0; k < n; k++) {
            const double s = (double)boxes[k].range * (double)boxes[k].range * (double)boxes[k].n;
            if (boxes[k].hi - boxes[k].lo > 1 && boxes[k].range > 0 && s > score) best = k, score = s;
        }
        if (best < 0) break;
        box *bx = &boxes[best];
        sort_bins(g, bx->lo, bx->hi, bx->axis, g->sorted);
        uint64_t acc = 0;
        size_t cut = bx->lo + 1;
        for (size_t i = bx->lo; i + 1 < bx->hi; i++) {
            acc += g->count[g->used[i]];
            cut = i + 1;
            if (2 * acc >= bx->n) break;
        }
        boxes[n] = (box){cut, bx->hi, 0, 0, 0};
        bx->hi = cut;
        measure(g, bx);
        measure(g, &boxes[n]);
        n++;
    }
    for (int k = 0; k < n; k++) {
        uint64_t s[3] = {0, 0, 0};
        for (size_t i = boxes[k].lo; i < boxes[k].hi; i++)
            for (int c = 0; c < 3; c++) s[c] += g->sum[3 * (size_t)g->used[i] + (size_t)c];
        for (int c = 0; c < 3; c++) pal[3 * k + c] = (unsigned char)((s[c] + boxes[k].n / 2) / boxes[k].n);
    }
    /* Each bin to the palette colour nearest its own mean (not always its box's). */
    for (size_t i = 0; i < n_used; i++) {
        const uint16_t b = g->used[i];
        double m[3];
        for (int c = 0; c < 3; c++) m[c] = (double)g->sum[3 * (size_t)b + (size_t)c] / g->count[b];
        int best = 0;
        double dbest = 1e300;
        for (int k = 0; k < n; k++) {
            const double dr = m[0] - pal[3 * k], dg = m[1] - pal[3 * k + 1], db = m[2] - pal[3 * k + 2];
            const double d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
            if (d < dbest) dbest = d, best = k;
        }
        g->lut[b] = (unsigned char)best;
    }
    return n;
}

/* ------------------------------------------------------------------------------------------------
 * LZW, as GIF packs it: codes LSB first, min_size + 1 bits growing to 12.
 * ---------------------------------------------------------------------------------------------- */

#define HASH_SIZE 8192 /* > 4096 codes; open addressing */

typedef struct lzw_state {
    gdlab_gif *g;
    uint32_t bits;
    int nbits;
    int32_t keys[HASH_SIZE];
    int16_t codes[HASH_SIZE];
} lzw_state;

static void put_byte(gdlab_gif *g, unsigned char b)
{
    if (g->lzw_len == g->lzw_cap) {
        const size_t cap = g->lzw_cap ? 2 * g->lzw_cap : 65536;
        unsigned char *p = realloc(g->lzw, cap);
        if (!p) {
            g->failed = ENOMEM;
            return;
        }
        g->lzw = p, g->lzw_cap = cap;
    }
    g->lzw[g->lzw_len++] = b;
}

static void put_code(lzw_state *s, int code, int size)
{
    s->bits |= (uint32_t)code << s->nbits;
    s->nbits += size;
    while (s->nbits >= 8) {
        put_byte(s->g, (unsigned char)(s->bits & 0xFF));
        s->bits >>= 8, s->nbits -= 8;
    }
}

static void lzw_encode(gdlab_gif *g, const unsigned char *idx, size_t n, int min_size)
{
    lzw_state *s = malloc(sizeof *s);
    if (!s) {
        g->failed = ENOMEM;
        return;
    }
    s->g = g, s->bits = 0, s->nbits = 0;
    const int clear = 1 << min_size, eoi = clear + 1;
    int size = min_size + 1, last = eoi; /* last: the code assigned last */
    memset(s->keys, 0xFF, sizeof s->keys);
    g->lzw_len = 0;
    put_code(s, clear, size);
    int cur = idx[0];
    for (size_t i = 1; i < n; i++) {
        const int v = idx[i];
        const int32_t key = cur << 8 | v;
        uint32_t h = ((uint32_t)key * 2654435761u) >> 19; /* 13 bits */
        while (s->keys[h] != -1 && s->keys[h] != key) h = (h + 1) & (HASH_SIZE - 1);
        if (s->keys[h] == key) {
            cur = s->codes[h];
            continue;
        }
        put_code(s, cur, size);
        s->keys[h] = key, s->codes[h] = (int16_t)++last;
        if (last >= 1 << size) size++;
        if (last == 4095) { /* the table is full: start again */
            put_code(s, clear, size);
            memset(s->keys, 0xFF, sizeof s->keys);
            size = min_size + 1, last = eoi;
        }
        cur = v;
    }
    put_code(s, cur, size);
    put_code(s, eoi, size);
    if (s->nbits > 0) put_byte(g, (unsigned char)(s->bits & 0xFF));
    free(s);
}

/* ------------------------------------------------------------------------------------------------
 * The file.
 * ---------------------------------------------------------------------------------------------- */

static void put16(FILE *f, int v)
{
    fputc(v & 0xFF, f);
    fputc((v >> 8) & 0xFF, f);
}

gdlab_gif *gdlab_gif_open(const char *path, int width, int height, int loop, char *err, size_t errlen)
{
    if (width < 1 || width > 65535 || height < 1 || height > 65535) {
        snprintf(err, errlen, "GIF size %d x %d is out of range: 1 to 65535 pixels per side", width, height);
        return NULL;
    }
    gdlab_gif *g = calloc(1, sizeof *g);
    const size_t npx = (size_t)width * (size_t)height;
    if (!g || !(g->path = malloc(strlen(path) + 1)) || !(g->prev = malloc(3 * npx)) ||
        !(g->index = malloc(npx)) || !(g->count = calloc(BINS, sizeof *g->count)) ||
        !(g->sum = calloc(3 * BINS, sizeof *g->sum)) || !(g->used = malloc(BINS * sizeof *g->used)) ||
        !(g->sorted = malloc(BINS * sizeof *g->sorted)) ||
        !(g->lut = malloc(BINS))) {
        snprintf(err, errlen, "out of memory for a %d x %d GIF", width, height);
        gdlab_gif_close(g, NULL, 0);
        return NULL;
    }
    strcpy(g->path, path);
    g->width = width, g->height = height;
    if (!(g->out = gdlab_output_open(path, "GIF", err, errlen))) {
        gdlab_gif_close(g, NULL, 0);
        return NULL;
    }
    g->f = gdlab_output_stream(g->out);
    fwrite("GIF89a", 1, 6, g->f);
    put16(g->f, width);
    put16(g->f, height);
    fputc(0x70, g->f); /* no global colour table; 8 bits of colour resolution */
    fputc(0, g->f);    /* background colour */
    fputc(0, g->f);    /* square pixels */
    if (loop) {
        fwrite("\x21\xFF\x0BNETSCAPE2.0\x03\x01", 1, 16, g->f);
        put16(g->f, 0); /* repeat forever */
        fputc(0, g->f);
    }
    return g;
}

int gdlab_gif_frame(gdlab_gif *g, const unsigned char *rgb, int delay_cs, char *err, size_t errlen)
{
    const int w = g->width, h = g->height;
    /* The rectangle that changed, and which pixels in it did. */
    int x0 = 0, y0 = 0, x1 = w - 1, y1 = h - 1;
    const int first = g->frames == 0;
    if (!first) {
        x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) {
            const size_t row = (size_t)y * (size_t)w * 3;
            for (int x = 0; x < w; x++)
                if (memcmp(rgb + row + 3 * (size_t)x, g->prev + row + 3 * (size_t)x, 3) != 0) {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    if (y < y0) y0 = y;
                    y1 = y;
                }
        }
        if (x1 < 0) x0 = y0 = x1 = y1 = 0; /* nothing changed: one transparent pixel */
    }
    const int rw = x1 - x0 + 1, rh = y1 - y0 + 1;
    /* Histogram of the stored pixels. */
    size_t n_used = 0;
    memset(g->exact_index, 0xFF, sizeof g->exact_index);
    g->n_exact = 0, g->too_many = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            const size_t o = ((size_t)y * (size_t)w + (size_t)x) * 3;
            if (first || memcmp(rgb + o, g->prev + o, 3) != 0) add_color(g, rgb + o, &n_used);
        }
    unsigned char pal[3 * 256];
    memset(pal, 0, sizeof pal);
    const int n_colors = n_used ? build_palette(g, n_used, pal) : 0;
    const int transparent = first ? -1 : n_colors;
    int bits = 1;
    while ((1 << bits) < n_colors + (transparent >= 0)) bits++;
    /* Indices of the rectangle's pixels; then clear the histogram for the next frame. */
    size_t k = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            const size_t o = ((size_t)y * (size_t)w + (size_t)x) * 3;
            const int same = !first && memcmp(rgb + o, g->prev + o, 3) == 0;
            g->index[k++] = (unsigned char)(same ? transparent : color_index(g, rgb + o));
        }
    for (size_t i = 0; i < n_used; i++) {
        const uint16_t b = g->used[i];
        g->count[b] = 0;
        g->sum[3 * (size_t)b] = g->sum[3 * (size_t)b + 1] = g->sum[3 * (size_t)b + 2] = 0;
    }
    memcpy(g->prev, rgb, 3 * (size_t)w * (size_t)h);
    const int min_size = bits < 2 ? 2 : bits;
    lzw_encode(g, g->index, k, min_size);
    if (g->failed) {
        snprintf(err, errlen, "out of memory while encoding a GIF frame");
        return -1;
    }

    FILE *f = g->f;
    fwrite("\x21\xF9\x04", 1, 3, f); /* graphic control: keep the frame under the next one */
    fputc(1 << 2 | (transparent >= 0), f);
    put16(f, delay_cs);
    fputc(transparent >= 0 ? transparent : 0, f);
    fputc(0, f);
    fputc(0x2C, f); /* image descriptor with a local colour table of 2^bits entries */
    put16(f, x0);
    put16(f, y0);
    put16(f, rw);
    put16(f, rh);
    fputc(0x80 | (bits - 1), f);
    fwrite(pal, 3, (size_t)1 << bits, f);
    fputc(min_size, f);
    for (size_t o = 0; o < g->lzw_len; o += 255) {
        const size_t n = g->lzw_len - o < 255 ? g->lzw_len - o : 255;
        fputc((int)n, f);
        fwrite(g->lzw + o, 1, n, f);
    }
    fputc(0, f);
    if (fflush(f) != 0 || ferror(f)) { /* report a full disk at this frame, not at the end */
        g->failed = errno ? errno : EIO;
        snprintf(err, errlen, "cannot write GIF file '%s': %s", g->path, strerror(g->failed));
        return -1;
    }
    g->frames++;
    return 0;
}

size_t gdlab_gif_frames(const gdlab_gif *g)
{
    return g->frames;
}

int gdlab_gif_close(gdlab_gif *g, char *err, size_t errlen)
{
    if (!g) return 0;
    int rc = 0;
    char buf[GDLAB_ERRLEN];
    if (g->out && (g->failed || g->frames == 0)) { /* a GIF without images is no GIF */
        if (err) snprintf(err, errlen, "GIF '%s' not written: %s", g->path,
                          g->failed ? strerror(g->failed) : "it has no frames");
        gdlab_output_abort(g->out);
        rc = -1;
    } else if (g->out) {
        fputc(0x3B, g->f); /* trailer */
        if (gdlab_output_commit(g->out, buf, sizeof buf)) {
            if (err) snprintf(err, errlen, "%s", buf);
            rc = -1;
        }
    }
    free(g->path), free(g->prev), free(g->index), free(g->count), free(g->sum);
    free(g->used), free(g->sorted), free(g->lut), free(g->lzw);
    free(g);
    return rc;
}

void gdlab_gif_abort(gdlab_gif *g)
{
    if (!g) return;
    g->failed = g->failed ? g->failed : ECANCELED;
    gdlab_gif_close(g, NULL, 0);
}
