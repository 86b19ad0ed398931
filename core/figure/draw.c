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

void fig_draw_target(const gdlab_figure *fig)
{
    black_and_white = fig->mono;
}

void fig_color(const gdlab_rgba *c)
{
    if (black_and_white) {
        plcol0(1);
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

/* Devices whose text goes through PostScript Type 1 fonts have no sub- and superscript digits.
 * They are written with PLplot's #u/#d (up/down) escapes, except after a character the driver takes
 * from the Symbol font (Greek, arrows): PLplot's ps driver garbles every escape after one of those,
 * so there they become ^2 and _1, which still read right. */
static int needs_script_escapes(const gdlab_figure *fig)
{
    const char *d = fig->dev->name;
    return strcmp(d, "ps") == 0 || strcmp(d, "psc") == 0 || strcmp(d, "xfig") == 0 ||
           strcmp(d, "pdf") == 0;
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
    const int escapes = needs_script_escapes(fig);
    int after_symbol = 0; /* a character beyond Latin-1 came before */
    int prev_up = -1;     /* the script of the previous rewritten character, for runs like 10⁻³ */
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)plain; *s && o + 8 < outlen;) {
        char digit;
        int up, n;
        const unsigned char *body;
        int len;
        if ((*s == '_' || *s == '^') && s != (const unsigned char *)plain && (n = script_at(s, &body, &len)) > 0 &&
            o + (size_t)len + 8 < outlen) {
            if (escapes && after_symbol) { /* the ps driver garbles escapes here: keep _1, ^2 */
                out[o++] = (char)*s;
            } else {
                out[o++] = '#', out[o++] = *s == '^' ? 'u' : 'd';
            }
            for (int i = 0; i < len; i++) {
                if (body[i] == '#') out[o++] = '#';
                if (body[i] == '-' && !escapes) { /* a minus sign, as in tick labels */
                    memcpy(out + o, "\xE2\x88\x92", 3);
                    o += 3;
                } else {
                    out[o++] = (char)body[i];
                }
            }
            if (!(escapes && after_symbol)) out[o++] = '#', out[o++] = *s == '^' ? 'd' : 'u';
            s += n;
            prev_up = -1;
        } else if (*s == '#') { /* PLplot's escape character: literal text doubles it */
            out[o++] = '#', out[o++] = '#';
            s++;
            prev_up = -1;
        } else if (escapes && (n = script_digit(s, &digit, &up)) > 0) {
            if (after_symbol)
                o += (size_t)snprintf(out + o, outlen - o, prev_up == up ? "%c" : up ? "^%c" : "_%c", digit);
            else
                o += (size_t)snprintf(out + o, outlen - o, up ? "#u%c#d" : "#d%c#u", digit);
            s += n;
            prev_up = up;
        } else if (escapes && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92) { /* − minus sign */
            out[o++] = '-';
            s += 3;
            prev_up = -1;
        } else {
            if (*s >= 0xC4) after_symbol = 1; /* a lead byte of U+0100 and beyond */
            out[o++] = (char)*s++;
            prev_up = -1;
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
