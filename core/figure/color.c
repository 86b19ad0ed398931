/* SPDX-License-Identifier: MIT */
/* color.c — colours by name or hex code. The names are the CSS/X11 ones a lesson is likely to use
 * (values from the CSS Color Module Level 4 list), plus matplotlib's "tab:" palette names. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fig_internal.h"

static const struct named_color {
    const char *name;
    unsigned rgb;
} names[] = {
    {"black", 0x000000},       {"white", 0xFFFFFF},     {"red", 0xFF0000},
    {"green", 0x008000},       {"blue", 0x0000FF},      {"yellow", 0xFFFF00},
    {"orange", 0xFFA500},      {"gold", 0xFFD700},      {"purple", 0x800080},
    {"magenta", 0xFF00FF},     {"cyan", 0x00FFFF},      {"gray", 0x808080},
    {"grey", 0x808080},        {"darkgray", 0xA9A9A9},  {"lightgray", 0xD3D3D3},
    {"dimgray", 0x696969},     {"brown", 0xA52A2A},     {"pink", 0xFFC0CB},
    {"navy", 0x000080},        {"teal", 0x008080},      {"olive", 0x808000},
    {"crimson", 0xDC143C},     {"tomato", 0xFF6347},    {"steelblue", 0x4682B4},
    {"seagreen", 0x2E8B57},    {"orchid", 0xDA70D6},    {"limegreen", 0x32CD32},
    {"tab:blue", 0x1F77B4},    {"tab:orange", 0xFF7F0E}, {"tab:green", 0x2CA02C},
    {"tab:red", 0xD62728},     {"tab:purple", 0x9467BD}, {"tab:brown", 0x8C564B},
    {"tab:pink", 0xE377C2},    {"tab:gray", 0x7F7F7F},  {"tab:olive", 0xBCBD22},
    {"tab:cyan", 0x17BECF},
};

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_hex(const char *h, gdlab_rgba *out)
{
    size_t n = strlen(h);
    int d[8];
    if (n != 3 && n != 6 && n != 8) return -1;
    for (size_t i = 0; i < n; i++)
        if ((d[i] = hex_digit((unsigned char)h[i])) < 0) return -1;
    if (n == 3) {
        *out = (gdlab_rgba){(unsigned char)(d[0] * 17), (unsigned char)(d[1] * 17),
                            (unsigned char)(d[2] * 17), 1.0};
        return 0;
    }
    *out = (gdlab_rgba){(unsigned char)(d[0] * 16 + d[1]), (unsigned char)(d[2] * 16 + d[3]),
                        (unsigned char)(d[4] * 16 + d[5]), 1.0};
    if (n == 8) out->a = (d[6] * 16 + d[7]) / 255.0;
    return 0;
}

int gdlab_color_parse(const char *text, gdlab_rgba *out, char *err, size_t errlen)
{
    if (text && text[0] == '#') {
        if (parse_hex(text + 1, out) == 0) return 0;
        snprintf(err, errlen, "bad colour '%s': use #rgb, #rrggbb or #rrggbbaa", text);
        return -1;
    }
    for (size_t i = 0; text && i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(text, names[i].name) != 0) continue;
        unsigned v = names[i].rgb;
        *out = (gdlab_rgba){(unsigned char)(v >> 16), (unsigned char)(v >> 8 & 0xFF),
                            (unsigned char)(v & 0xFF), 1.0};
        return 0;
    }
    snprintf(err, errlen, "unknown colour '%s': use #rrggbb or a name such as black, white, red, "
             "gold, steelblue, tab:blue", text ? text : "(none)");
    return -1;
}

int fig_rgba_is_set(const gdlab_rgba *c)
{
    return c->a > 0.0;
}
