/* SPDX-License-Identifier: MIT */
/* draw.c — the primitives every figure kind uses, in the figure's units: pixels at scale 1 for sizes,
 * normalized device coordinates (NDC) for the page, data coordinates inside a panel. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"

/* PLplot's cmap0 slot used for every explicit colour: set, then select. */
enum { SCRATCH = 15 };

/* PLplot's "ps" device is black and white: colour index 0 prints white, every other one black, so
 * colours would all come out black. On such a device ink is black and paper white. The figure being
 * drawn is set by fig_run (PLplot itself has one current stream, so one current figure is enough). */
static int black_and_white;
static gdlab_figure *indexed; /* the figure being drawn, when it names its colours by index */

void fig_draw_target(const gdlab_figure *fig)
{
    black_and_white = fig->mono;
    indexed = fig->n_indexed >= 0 ? (gdlab_figure *)fig : NULL;
}

/* xfig refers to colours by number and keeps one table of them at the top of the file, rewritten
 * whenever a colour changes: recolouring the scratch slot would recolour everything drawn before
 * (every panel came out as one grey block). There each distinct colour gets a cmap0 slot of its own
 * above 15, the nearest one once all FIG_INDEXED_COLORS are taken (xfig allows 512 colours in all).
 * xfig has no transparency: a colour is blended over the page by its alpha. */
static PLINT indexed_color(gdlab_figure *fig, const gdlab_rgba *c)
{
    const gdlab_rgba *page = &fig->theme.page;
    const int rgb[3] = {(int)lround(c->r * c->a + page->r * (1 - c->a)),
                        (int)lround(c->g * c->a + page->g * (1 - c->a)),
                        (int)lround(c->b * c->a + page->b * (1 - c->a))};
    int best = 0;
    long best_d = -1;
    for (int k = 0; k < fig->n_indexed; k++) {
        const unsigned char *e = fig->indexed_colors[k];
        const long d = (long)(e[0] - rgb[0]) * (e[0] - rgb[0]) + (long)(e[1] - rgb[1]) * (e[1] - rgb[1]) +
                       (long)(e[2] - rgb[2]) * (e[2] - rgb[2]);
        if (best_d < 0 || d < best_d) best = k, best_d = d;
    }
    if (best_d != 0 && fig->n_indexed < FIG_INDEXED_COLORS) {
        best = fig->n_indexed++;
        for (int i = 0; i < 3; i++) fig->indexed_colors[best][i] = (unsigned char)rgb[i];
        plscol0(16 + best, rgb[0], rgb[1], rgb[2]);
    }
    return 16 + best;
}

void fig_color(const gdlab_rgba *c)
{
    if (black_and_white) {
        plcol0(1);
        return;
    }
    if (indexed) {
        plcol0(indexed_color(indexed, c));
        return;
    }
    plscol0a(SCRATCH, c->r, c->g, c->b, c->a);
    plcol0(SCRATCH);
}

void fig_paper(const gdlab_rgba *c)
{
    if (black_and_white)
        plcol0(0);
    else
        fig_color(c);
}

double fig_mm(const gdlab_figure *fig, double px)
{
    return px * fig->scale * fig->mm_per_px;
}

double fig_ndc_x(const gdlab_figure *fig, double px)
{
    return px * fig->scale / fig->width;
}

double fig_ndc_y(const gdlab_figure *fig, double px)
{
    return px * fig->scale / fig->height;
}

double fig_tpx(const gdlab_figure *fig, double px)
{
    return px * fig->text_scale;
}

void fig_font(gdlab_figure *fig, double px, int bold, int mono)
{
    px = fig_tpx(fig, px);
    fig->font_px = px, fig->font_bold = bold, fig->font_mono = mono;
    plsfont(mono ? PL_FCI_MONO : PL_FCI_SANS, PL_FCI_UPRIGHT, bold ? PL_FCI_BOLD : PL_FCI_MEDIUM);
    /* PLplot's character height is about 0.7 of the font's em size on every driver we use. */
    plschr(fig_mm(fig, px * 0.7), 1.0);
}

void fig_width(const gdlab_figure *fig, double px)
{
    /* PLplot pen widths are in units of the driver's default pen, about 1/72 inch on all devices
     * used here, which is 1 px of a pngcairo page. */
    plwidth(px * fig->scale * fig->mm_per_px / (25.4 / 72.0));
}

void fig_arrow_ndc(const gdlab_figure *fig, double ax, double ay, double bx, double by, double width_px,
                   double head_px)
{
    const double dxp = (bx - ax) * fig->width, dyp = (by - ay) * fig->height, len = hypot(dxp, dyp);
    if (!(len > 0)) return;
    const double ux = dxp / len, uy = dyp / len, head = head_px * fig->scale;
    const double hx = bx - ux * head / fig->width, hy = by - uy * head / fig->height; /* head's base */
    plvpor(0, 1, 0, 1);
    plwind(0, 1, 0, 1);
    fig_width(fig, width_px);
    pljoin(ax, ay, hx, hy);
    PLFLT tx[3] = {bx, hx - uy * head * 0.4 / fig->width, hx + uy * head * 0.4 / fig->width};
    PLFLT ty[3] = {by, hy + ux * head * 0.4 / fig->height, hy - ux * head * 0.4 / fig->height};
    plfill(3, tx, ty);
}

void fig_dashes(const gdlab_figure *fig, int dashed)
{
    if (!dashed) {
        pllsty(1);
        return;
    }
    PLINT mark = (PLINT)lround(fig_mm(fig, 5.0) * 1000.0), space = (PLINT)lround(fig_mm(fig, 3.5) * 1000.0);
    plstyl(1, &mark, &space);
}

/* Devices whose text goes through PostScript Type 1 fonts have no sub- and superscript digits: they
 * are written with PLplot's #u/#d (up/down) escapes. */
static int needs_script_escapes(const gdlab_figure *fig)
{
    const char *d = fig->dev->name;
    return strcmp(d, "ps") == 0 || strcmp(d, "psc") == 0 || strcmp(d, "pdf") == 0;
}

/* PLplot's ps driver takes characters beyond Latin-1 (Greek, arrows) from the Symbol font and stays
 * in it: every escape after one was garbled (θ₁ printed as θ#φφδ1). Setting the current font again
 * right after such a character (a #<FCI> escape: PLplot's font characterization integer) keeps the
 * escapes working. */
static int symbol_font_sticks(const gdlab_figure *fig)
{
    return strcmp(fig->dev->name, "ps") == 0 || strcmp(fig->dev->name, "psc") == 0;
}

static unsigned current_fci(const gdlab_figure *fig)
{
    const unsigned family = fig->font_mono ? PL_FCI_MONO : PL_FCI_SANS;
    const unsigned weight = fig->font_bold ? PL_FCI_BOLD : PL_FCI_MEDIUM;
    return PL_FCI_MARK | (weight << (PL_FCI_WEIGHT * 4)) | (PL_FCI_UPRIGHT << (PL_FCI_STYLE * 4)) |
           (family << (PL_FCI_FAMILY * 4));
}

/* xwin, and xfig without its "text" option, draw text in PLplot's Hershey stroke fonts, which have no
 * character beyond ASCII (xwin drops them, xfig draws a wrong glyph): there Greek letters become
 * PLplot's #g escapes and other symbols the Hershey glyph of the same shape (#(n); the numbers were
 * read off the glyphs PLplot draws). */
static int hershey_only(const gdlab_figure *fig)
{
    return strcmp(fig->dev->name, "xwin") == 0 || strcmp(fig->dev->name, "xfig") == 0;
}

/* PLplot's #g letter for Greek U+0391..U+03A9 and U+03B1..U+03C9 (PLplot's docs, "Greek letters"). */
static const char greek_letters[] = "abgdezyhiklmncoprsstufxqw";

static const struct hershey_symbol {
    unsigned code;
    int glyph;
} hershey_symbols[] = {
    {0x2212, 2231}, {0x00D7, 2235}, {0x00B7, 2236}, {0x00F7, 2237}, {0x2260, 2239}, {0x2261, 2240},
    {0x2264, 2243}, {0x2265, 2244}, {0x221D, 2245}, {0x2248, 2246}, {0x223C, 2246}, {0x2208, 2260},
    {0x2192, 2261}, {0x2191, 2262}, {0x2190, 2263}, {0x2193, 2264}, {0x2202, 2265}, {0x2207, 2266},
    {0x221A, 2267}, {0x222B, 2268}, {0x221E, 2270}, {0x00B1, 2233},
};

/* The code point of the UTF-8 sequence at s (0 when malformed) and its length in *n. */
static unsigned utf8_code(const unsigned char *s, int *n)
{
    if (s[0] < 0x80) return *n = 1, s[0];
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) return *n = 2, ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
        return *n = 3, ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return *n = 1, 0;
}

/* Write the Hershey form of the character at s into out (at least 8 bytes); its length, or 0 when
 * there is none. *n is the length of the character read. */
static int hershey_char(const unsigned char *s, int *n, char *out)
{
    const unsigned c = utf8_code(s, n);
    const int upper = c >= 0x391 && c <= 0x3A9 && c != 0x3A2, lower = c >= 0x3B1 && c <= 0x3C9;
    if (upper || lower) {
        const char letter = greek_letters[c - (upper ? 0x391 : 0x3B1)];
        return snprintf(out, 8, "#g%c", upper ? letter - 'a' + 'A' : letter);
    }
    for (size_t i = 0; i < sizeof hershey_symbols / sizeof hershey_symbols[0]; i++)
        if (hershey_symbols[i].code == c) return snprintf(out, 8, "#(%d)", hershey_symbols[i].glyph);
    return 0;
}

/* UTF-8 of the superscript digits ⁰¹²³⁴⁵⁶⁷⁸⁹, superscript minus and subscript digits ₀..₉. */
static int script_digit(const unsigned char *s, char *digit, int *up)
{
    if (s[0] == 0xC2 && (s[1] == 0xB2 || s[1] == 0xB3 || s[1] == 0xB9)) { /* ² ³ ¹ */
        *digit = s[1] == 0xB9 ? '1' : (char)('2' + (s[1] - 0xB2));
        *up = 1;
        return 2;
    }
    if (s[0] == 0xE2 && s[1] == 0x81 && (s[2] == 0xB0 || (s[2] >= 0xB4 && s[2] <= 0xB9))) {
        *digit = (char)('0' + (s[2] - 0xB0)); /* ⁰ ⁴..⁹ */
        *up = 1;
        return 3;
    }
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0xBB) { /* ⁻ */
        *digit = '-';
        *up = 1;
        return 3;
    }
    if (s[0] == 0xE2 && s[1] == 0x82 && s[2] >= 0x80 && s[2] <= 0x89) { /* ₀..₉ */
        *digit = (char)('0' + (s[2] - 0x80));
        *up = 0;
        return 3;
    }
    return 0;
}

/* Greek letters and a few symbols by their TeX names: "\\theta_1" reads as θ₁. */
static const struct tex_name {
    const char *name, *utf8;
} tex_names[] = {
    {"alpha", "α"}, {"beta", "β"},   {"gamma", "γ"},  {"delta", "δ"},   {"epsilon", "ε"}, {"eta", "η"},
    {"theta", "θ"}, {"kappa", "κ"},  {"lambda", "λ"}, {"mu", "μ"},      {"nu", "ν"},      {"pi", "π"},
    {"rho", "ρ"},   {"sigma", "σ"},  {"tau", "τ"},    {"phi", "φ"},     {"chi", "χ"},     {"psi", "ψ"},
    {"omega", "ω"}, {"Gamma", "Γ"},  {"Delta", "Δ"},  {"Theta", "Θ"},   {"Lambda", "Λ"},  {"Sigma", "Σ"},
    {"Phi", "Φ"},   {"Omega", "Ω"},  {"nabla", "∇"},  {"infty", "∞"},   {"cdot", "·"},    {"times", "×"},
    {"leftarrow", "←"}, {"rightarrow", "→"}, {"approx", "≈"}, {"le", "≤"}, {"ge", "≥"}, {"sqrt", "√"},
};

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of a UTF-8 character starting at s (1 for ASCII and stray bytes). */
static int utf8_len(const unsigned char *s)
{
    int n = *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 1;
    return n;
}

/* The script after '_' or '^' at s[0], as matplotlib's mathtext would read it, but only where the
 * intent is clear, so that names such as grad_norm or lr_max stay literal: "{...}" (any text), a run
 * of digits (with a sign after '^': 10^-3), or one letter (Greek too) not followed by a letter or
 * digit (V_t, θ_1, β^t). Sets *body and *len to the script's text; returns the bytes consumed, 0 if
 * this is no script. */
static int script_at(const unsigned char *s, const unsigned char **body, int *len)
{
    const unsigned char *p = s + 1;
    if (*p == '{') {
        const unsigned char *close = (const unsigned char *)strchr((const char *)p, '}');
        if (!close || close == p + 1) return 0;
        *body = p + 1, *len = (int)(close - p - 1);
        return (int)(close + 1 - s);
    }
    const unsigned char *q = p;
    if (*s == '^' && (*q == '-' || *q == '+')) q++;
    while (*q >= '0' && *q <= '9') q++;
    if (q > p && q[-1] >= '0' && q[-1] <= '9') {
        *body = p, *len = (int)(q - p);
        return (int)(q - s);
    }
    if (*p == 0 || *p == ' ' || *p == '_' || *p == '^' || (*p < 0x80 && !is_alnum(*p))) return 0;
    const int n = utf8_len(p);
    if (is_alnum(p[n]) || p[n] >= 0x80) return 0;
    *body = p, *len = n;
    return 1 + n;
}

void fig_text_prepare(const gdlab_figure *fig, const char *text, char *out, size_t outlen)
{
    /* Greek names first, into a buffer of their own. */
    char plain[1024];
    size_t g = 0;
    for (const char *s = text; *s && g + 8 < sizeof plain;) {
        size_t i = 0, n = sizeof tex_names / sizeof tex_names[0];
        if (*s == '\\') {
            for (; i < n; i++) {
                const size_t len = strlen(tex_names[i].name);
                if (strncmp(s + 1, tex_names[i].name, len) == 0 && !((s[1 + len] >= 'a' && s[1 + len] <= 'z') ||
                                                                   (s[1 + len] >= 'A' && s[1 + len] <= 'Z')))
                    break;
            }
        }
        if (*s == '\\' && i < n) {
            g += (size_t)snprintf(plain + g, sizeof plain - g, "%s", tex_names[i].utf8);
            s += 1 + strlen(tex_names[i].name);
        } else {
            plain[g++] = *s++;
        }
    }
    plain[g] = '\0';
    const int hershey = hershey_only(fig), escapes = hershey || needs_script_escapes(fig);
    const int restore = symbol_font_sticks(fig);
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)plain; *s && o + 16 < outlen;) {
        char digit, glyph[8];
        int up, n;
        const unsigned char *body;
        int len;
        if ((*s == '_' || *s == '^') && s != (const unsigned char *)plain && (n = script_at(s, &body, &len)) > 0 &&
            o + 3 * (size_t)len + 8 < outlen) {
            out[o++] = '#', out[o++] = *s == '^' ? 'u' : 'd';
            for (int i = 0; i < len; i++) {
                if (body[i] == '#') out[o++] = '#';
                if (body[i] == '-' && !escapes) { /* a minus sign, as in tick labels */
                    memcpy(out + o, "\xE2\x88\x92", 3);
                    o += 3;
                } else {
                    out[o++] = (char)body[i];
                }
            }
            out[o++] = '#', out[o++] = *s == '^' ? 'd' : 'u';
            s += n;
        } else if (*s == '#') { /* PLplot's escape character: literal text doubles it */
            out[o++] = '#', out[o++] = '#';
            s++;
        } else if (hershey && *s >= 0x80 && !script_digit(s, &digit, &up) && hershey_char(s, &n, glyph)) {
            o += (size_t)snprintf(out + o, outlen - o, "%s", glyph);
            s += n;
        } else if (escapes && (n = script_digit(s, &digit, &up)) > 0) {
            o += (size_t)snprintf(out + o, outlen - o, up ? "#u%c#d" : "#d%c#u", digit);
            s += n;
        } else if (escapes && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92) { /* − minus sign */
            out[o++] = '-';
            s += 3;
        } else if (restore && *s >= 0xC4) { /* a lead byte of U+0100 and beyond: the Symbol font */
            utf8_code(s, &n);
            for (int i = 0; i < n && s[i]; i++) out[o++] = (char)s[i];
            s += n;
            o += (size_t)snprintf(out + o, outlen - o, "#<0x%08x>", current_fci(fig));
        } else {
            out[o++] = (char)*s++;
        }
    }
    out[o] = '\0';
}

double fig_text_width(const gdlab_figure *fig, const char *text)
{
    return fig_text_em(text, fig->font_bold, fig->font_mono) * fig->font_px;
}

/* The whole page as the viewport, in NDC units. */
static void page_window(void)
{
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
}

void fig_fill_rect_ndc(const gdlab_figure *fig, double x0, double x1, double y0, double y1,
                       const gdlab_rgba *c)
{
    (void)fig;
    page_window();
    PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
    fig_color(c);
    plfill(4, x, y);
}

void fig_fill_paper_ndc(const gdlab_figure *fig, double x0, double x1, double y0, double y1,
                        const gdlab_rgba *c)
{
    (void)fig;
    page_window();
    PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
    fig_paper(c);
    plfill(4, x, y);
}

void fig_text_ndc(const gdlab_figure *fig, double x, double y, double just, double angle,
                  const char *text)
{
    char buf[1024];
    fig_text_prepare(fig, text, buf, sizeof buf);
    page_window();
    const double rad = angle * M_PI / 180.0;
    /* plptex's direction is in world units; the page window is not square, so scale by the page. */
    plptex(x, y, cos(rad) * fig->height, sin(rad) * fig->width, just, buf);
}

double fig_wx(const fig_panel_state *p, double x)
{
    return p->xlog ? (x > 0 ? log10(x) : NAN) : x;
}

double fig_wy(const fig_panel_state *p, double y)
{
    return p->ylog ? (y > 0 ? log10(y) : NAN) : y;
}

double fig_world_per_px_x(const gdlab_figure *fig, const fig_panel_state *p)
{
    return (p->win[1] - p->win[0]) / ((p->vp[1] - p->vp[0]) * fig->width) * fig->scale;
}

double fig_world_per_px_y(const gdlab_figure *fig, const fig_panel_state *p)
{
    return (p->win[3] - p->win[2]) / ((p->vp[3] - p->vp[2]) * fig->height) * fig->scale;
}

/* Liang–Barsky clipping of the segment a -> b to box; 0 when nothing is left. */
static int clip_segment(double box[4], double *ax, double *ay, double *bx, double *by)
{
    double t0 = 0.0, t1 = 1.0, dx = *bx - *ax, dy = *by - *ay;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {*ax - box[0], box[1] - *ax, *ay - box[2], box[3] - *ay};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0) return 0;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0.0) {
            if (r > t1) return 0;
            if (r > t0) t0 = r;
        } else {
            if (r < t0) return 0;
            if (r < t1) t1 = r;
        }
    }
    const double x0 = *ax, y0 = *ay;
    *ax = x0 + t0 * dx, *ay = y0 + t0 * dy;
    *bx = x0 + t1 * dx, *by = y0 + t1 * dy;
    return 1;
}

/* A run of points is flushed to PLplot in chunks; chunks share their end points. */
enum { CHUNK = 512 };
typedef struct polyline_buf {
    PLFLT x[CHUNK], y[CHUNK];
    int n;
} polyline_buf;

static void flush(polyline_buf *b)
{
    if (b->n >= 2) plline(b->n, b->x, b->y);
    b->n = 0;
}

static void append(polyline_buf *b, double x, double y)
{
    if (b->n == CHUNK) {
        const double lx = b->x[CHUNK - 1], ly = b->y[CHUNK - 1];
        flush(b);
        b->x[0] = lx, b->y[0] = ly, b->n = 1;
    }
    b->x[b->n] = x, b->y[b->n] = y, b->n++;
}

void fig_polyline(const double *x, const double *y, size_t n)
{
    /* Points far outside the window would overflow PLplot's integer device coordinates: clip the
     * line to the window grown tenfold, and let PLplot clip the rest exactly. */
    PLFLT w[4];
    plgvpw(&w[0], &w[1], &w[2], &w[3]);
    const double hx = 10.0 * fabs(w[1] - w[0]), hy = 10.0 * fabs(w[3] - w[2]);
    double box[4] = {fmin(w[0], w[1]) - hx, fmax(w[0], w[1]) + hx, fmin(w[2], w[3]) - hy,
                     fmax(w[2], w[3]) + hy};
    polyline_buf b;
    b.n = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        double ax = x[k], ay = y[k], bx = x[k + 1], by = y[k + 1];
        if (!isfinite(ax) || !isfinite(ay) || !isfinite(bx) || !isfinite(by) ||
            !clip_segment(box, &ax, &ay, &bx, &by)) {
            flush(&b);
            continue;
        }
        if (b.n == 0 || b.x[b.n - 1] != ax || b.y[b.n - 1] != ay) {
            flush(&b);
            append(&b, ax, ay);
        }
        append(&b, bx, by);
        if (bx != x[k + 1] || by != y[k + 1]) flush(&b); /* clipped at the end: the run stops */
    }
    flush(&b);
}
