/* SPDX-License-Identifier: MIT */
/* lfigure_text.c — figure methods that write text or mark up a panel: fig:text (a text panel),
 * fig:annotate (text and an arrow at a data point of a panel drawn before) and fig:arrows (many
 * arrows in data units over such a panel). */
#include <math.h>
#include <string.h>

#include "lfigure.h"

static const char *const text_keys[] = {"panel", "text", "mono", "size", "color", "frame", "title", "line_spacing", NULL};

/* fig:text{panel, text = "...", mono = true, size = 13, color, frame, title} */
static int l_text(lua_State *L)
{
    const char *what = "fig:text";
    lfig_check_options(L, 2, what);
    lua_settop(L, 2); /* before the guard: nothing may remove its slot later */
    lfigure *lf = lfig_use(L, 1, what);
    lgdlab_check_keys(L, 2, what, text_keys);
    const gdlab_panel p = lfig_read_panel(L, 2, lf->fig, what);
    const char *text = lfig_opt_string(L, 2, "text", NULL, what);
    if (!text) luaL_error(L, "%s: text = \"...\" is required", what);
    gdlab_text_style st;
    memset(&st, 0, sizeof st);
    st.mono = lfig_opt_bool(L, 2, "mono", 1);
    st.size = lfig_opt_number(L, 2, "size", 0, what);
    st.line_spacing = lfig_opt_number(L, 2, "line_spacing", 0, what);
    lfig_opt_color(L, 2, "color", &st.color, what);
    st.frame = lfig_opt_bool(L, 2, "frame", 1);
    st.title = lfig_opt_string(L, 2, "title", NULL, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_text(lf->fig, &p, text, &st, err, sizeof err)) return lfig_fail(L, what, err);
    return 0;
}

static const char *const annotate_keys[] = {"panel", "text", "at", "text_at", "arrow", "color", "size", "bold", NULL};

/* fig:annotate{panel, text, at = {x, y}, text_at = {x, y}, arrow = true, color, size, bold} */
static int l_annotate(lua_State *L)
{
    const char *what = "fig:annotate";
    lfig_check_options(L, 2, what);
    lua_settop(L, 2); /* before the guard: nothing may remove its slot later */
    lfigure *lf = lfig_use(L, 1, what);
    lgdlab_check_keys(L, 2, what, annotate_keys);
    const gdlab_panel p = lfig_read_panel(L, 2, lf->fig, what);
    gdlab_annotation an;
    memset(&an, 0, sizeof an);
    an.text = lfig_opt_string(L, 2, "text", NULL, what);
    if (!an.text) luaL_error(L, "%s: text = \"...\" is required", what);
    size_t n;
    if (lfig_field(L, 2, "at") == LUA_TNIL) luaL_error(L, "%s: at = {x, y} is required", what);
    double *at = lcheck_numbers(L, -1, what, "at", 2, 2, LCHECK_FINITE, &n);
    an.x = at[0], an.y = at[1], an.tx = NAN, an.ty = NAN;
    if (lfig_field(L, 2, "text_at") != LUA_TNIL) {
        double *tat = lcheck_numbers(L, -1, what, "text_at", 2, 2, LCHECK_FINITE, &n);
        an.tx = tat[0], an.ty = tat[1];
    }
    an.arrow = lfig_opt_bool(L, 2, "arrow", isfinite(an.tx));
    lfig_opt_color(L, 2, "color", &an.color, what);
    an.size = lfig_opt_number(L, 2, "size", 0, what);
    an.bold = lfig_opt_bool(L, 2, "bold", 0);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_annotate(lf->fig, &p, &an, err, sizeof err)) return lfig_fail(L, what, err);
    return 0;
}

static const char *const arrows_keys[] = {"panel", "x", "y", "dx", "dy", "color", "width", "head", "label", NULL};

/* fig:arrows{panel, x = {...}, y = {...}, dx = {...}, dy = {...}, color, width, head, label} */
static int l_arrows(lua_State *L)
{
    const char *what = "fig:arrows";
    lfig_check_options(L, 2, what);
    lua_settop(L, 2); /* before the guard: nothing may remove its slot later */
    lfigure *lf = lfig_use(L, 1, what);
    lgdlab_check_keys(L, 2, what, arrows_keys);
    const gdlab_panel p = lfig_read_panel(L, 2, lf->fig, what);
    gdlab_arrows a;
    memset(&a, 0, sizeof a);
    const char *names[4] = {"x", "y", "dx", "dy"};
    const double **slots[4] = {&a.x, &a.y, &a.dx, &a.dy};
    for (int i = 0; i < 4; i++) {
        if (lfig_field(L, 2, names[i]) == LUA_TNIL) luaL_error(L, "%s: %s = {...} (numbers) is required", what, names[i]);
        size_t n;
        *slots[i] = lfig_to_numbers(L, -1, &n, what, names[i]); /* the buffer stays on the stack */
        if (i == 0) a.n = n;
        if (n != a.n) luaL_error(L, "%s: %s has %d values, x has %d", what, names[i], (int)n, (int)a.n);
    }
    a.color = (gdlab_rgba){0x22, 0x22, 0x22, 1.0};
    lfig_opt_color(L, 2, "color", &a.color, what);
    a.width = lfig_opt_number(L, 2, "width", 0, what);
    a.head = lfig_opt_number(L, 2, "head", 0, what);
    if (a.width < 0 || a.head < 0) luaL_error(L, "%s: width and head must be positive (px)", what);
    a.label = lfig_opt_string(L, 2, "label", NULL, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_arrows(lf->fig, &p, &a, err, sizeof err)) return lfig_fail(L, what, err);
    return 0;
}

const luaL_Reg lfigure_text_methods[] = {
    {"text", l_text}, {"annotate", l_annotate}, {"arrows", l_arrows}, {NULL, NULL},
};
