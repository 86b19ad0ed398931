/* SPDX-License-Identifier: MIT */
/* test_text_scripts.c — how figure text becomes PLplot text: sub- and superscripts written as V_t,
 * θ_1, 10^-3, e^{-x} become PLplot's #d/#u escapes; names such as grad_norm and lr_max stay literal;
 * TeX names of Greek letters become the letters; '#' is doubled. draw.c is compiled into this test
 * (fig_text_prepare is internal to the figure library). */
#include <string.h>

#include "../../core/figure/fig_internal.h"
#include "check.h"

static const gdlab_device_info cairo = {"pngcairo", "", "png", 0, 0, "cairo"}, ps = {"ps", "", "ps", 0, 0, "ps"};

static void expect(const gdlab_device_info *dev, const char *in, const char *want)
{
    gdlab_figure fig;
    memset(&fig, 0, sizeof fig);
    fig.dev = dev;
    char out[256];
    fig_text_prepare(&fig, in, out, sizeof out);
    check_count++;
    if (strcmp(out, want) != 0) {
        check_failures++;
        fprintf(stderr, "%s: \"%s\" -> \"%s\", want \"%s\"\n", dev->name, in, out, want);
    }
}

int main(void)
{
    expect(&cairo, "V_t", "V#dt#u");
    expect(&cairo, "θ_1", "θ#d1#u");
    expect(&cairo, "w_12 and x^2", "w#d12#u and x#u2#d");
    expect(&cairo, "10^-3", "10#u\xE2\x88\x92" "3#d");
    expect(&cairo, "e^{-x/2}", "e#u\xE2\x88\x92x/2#d");
    expect(&cairo, "x_{ij}", "x#dij#u");
    expect(&cairo, "β^t, done", "β#ut#d, done");
    /* Names with underscores, and lone or leading signs, are literal. */
    expect(&cairo, "grad_norm", "grad_norm");
    expect(&cairo, "lr_max", "lr_max");
    expect(&cairo, "_x", "_x");
    expect(&cairo, "a ^ b", "a ^ b");
    expect(&cairo, "x_", "x_");
    expect(&cairo, "x^{}", "x^{}");
    /* Greek by name; an unknown name stays as it is. */
    expect(&cairo, "\\theta_1, \\beta^2", "θ#d1#u, β#u2#d");
    expect(&cairo, "\\alphabet \\foo", "\\alphabet \\foo");
    expect(&cairo, "100# done", "100## done");
    /* PostScript: Unicode digits become escapes; after a Symbol-font character scripts stay _1. */
    expect(&ps, "x²", "x#u2#d");
    expect(&ps, "V_t", "V#dt#u");
    expect(&ps, "θ_1", "θ#<0x80000000>#d1#u"); /* the font set again after a Symbol glyph */
    return CHECK_RESULT();
}
