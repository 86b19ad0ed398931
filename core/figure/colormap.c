/* SPDX-License-Identifier: MIT */
/* colormap.c — perceptual colour maps as 17 evenly spaced control points, linearly interpolated.
 * The points were sampled from matplotlib 3.6's maps (viridis, plasma, magma, inferno: Smith and van
 * der Walt, CC0; cividis: Nuñez, Anderton and Renslow 2018; coolwarm: Moreland 2009); at 17 points
 * the interpolation stays within a few units of 255 of the originals. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"

#define N_STOPS 17

static const struct colormap {
    const char *name;
    unsigned stops[N_STOPS];
} maps[] = {
    {"viridis", {0x440154, 0x48186A, 0x472D7B, 0x424086, 0x3B528B, 0x33638D, 0x2C728E, 0x26828E,
                 0x21918C, 0x1FA088, 0x28AE80, 0x3FBC73, 0x5EC962, 0x84D44B, 0xADDC30, 0xD8E219,
                 0xFDE725}},
    {"plasma", {0x0D0887, 0x310597, 0x4C02A1, 0x6600A7, 0x7E03A8, 0x9511A1, 0xAA2395, 0xBC3587,
                0xCC4778, 0xDA5A6A, 0xE66C5C, 0xF0804E, 0xF89540, 0xFDAC33, 0xFDC527, 0xF8DF25,
                0xF0F921}},
    {"magma", {0x000004, 0x0A0822, 0x1D1147, 0x36106B, 0x51127C, 0x6A1C81, 0x832681, 0x9C2E7F,
               0xB73779, 0xD0416F, 0xE75263, 0xF56B5C, 0xFC8961, 0xFEA772, 0xFEC488, 0xFDE2A3,
               0xFCFDBF}},
    {"inferno", {0x000004, 0x0B0724, 0x210C4A, 0x3D0965, 0x57106E, 0x71196E, 0x8A226A, 0xA32C61,
                 0xBC3754, 0xD24644, 0xE45A31, 0xF1731D, 0xF98E09, 0xFCAC11, 0xF9CB35, 0xF2EA69,
                 0xFCFFA4}},
    {"cividis", {0x00224E, 0x002E6A, 0x1A386F, 0x32436D, 0x434E6C, 0x535A6D, 0x61656F, 0x6F7073,
                 0x7D7C78, 0x8C8878, 0x9B9476, 0xABA072, 0xBCAE6C, 0xCDBB63, 0xDEC958, 0xF0D846,
                 0xFEE838}},
    {"coolwarm", {0x3B4CC0, 0x4E68D8, 0x6282EA, 0x779AF7, 0x8DB0FE, 0xA3C2FE, 0xB9D0F9, 0xCCD9ED,
                  0xDDDCDC, 0xECD3C5, 0xF5C4AC, 0xF7B093, 0xF4987A, 0xEB7D62, 0xDD5F4B, 0xCA3B37,
                  0xB40426}},
    {"gray", {0x000000, 0x101010, 0x202020, 0x303030, 0x404040, 0x505050, 0x606060, 0x707070,
              0x808080, 0x909090, 0xA0A0A0, 0xB0B0B0, 0xC0C0C0, 0xD0D0D0, 0xE0E0E0, 0xF0F0F0,
              0xFFFFFF}},
};
#define N_MAPS (sizeof maps / sizeof maps[0])

static const struct colormap *find(const char *name)
{
    for (size_t i = 0; name && i < N_MAPS; i++)
        if (strcmp(maps[i].name, name) == 0) return &maps[i];
    return NULL;
}

int gdlab_colormap_check(const char *name, char *err, size_t errlen)
{
    if (find(name)) return 0;
    int len = snprintf(err, errlen, "unknown colour map '%s'; available:", name ? name : "(none)");
    for (size_t i = 0; i < N_MAPS && len >= 0 && (size_t)len < errlen; i++)
        len += snprintf(err + len, errlen - (size_t)len, "%s %s", i ? "," : "", maps[i].name);
    return -1;
}

static unsigned char channel(unsigned a, unsigned b, int shift, double f)
{
    double va = (a >> shift) & 0xFF, vb = (b >> shift) & 0xFF;
    return (unsigned char)lround(va + (vb - va) * f);
}

gdlab_rgba gdlab_colormap_at(const char *name, double t)
{
    const struct colormap *m = find(name);
    if (!m) m = &maps[0];
    if (!(t > 0.0)) t = 0.0; /* NaN goes to the low end */
    if (t > 1.0) t = 1.0;
    double pos = t * (N_STOPS - 1);
    int i = (int)pos;
    if (i >= N_STOPS - 1) i = N_STOPS - 2;
    double f = pos - i;
    unsigned a = m->stops[i], b = m->stops[i + 1];
    return (gdlab_rgba){channel(a, b, 16, f), channel(a, b, 8, f), channel(a, b, 0, f), 1.0};
}

/* cmap1 of the current stream: the map at 256 points. */
static void set_cmap1(const char *name)
{
    PLINT r[256], g[256], b[256];
    for (int i = 0; i < 256; i++) {
        gdlab_rgba c = gdlab_colormap_at(name, i / 255.0);
        r[i] = c.r, g[i] = c.g, b[i] = c.b;
    }
    plscmap1(r, g, b, 256);
}

void gdlab_plplot_default_colors(const char *colormap, int dark)
{
    /* cmap0: 0 is the background; 1..15 a readable palette for raw PLplot users. */
    static const unsigned light[16] = {0xFFFFFF, 0x000000, 0xE05C4B, 0x3A7CA5, 0xF4A536, 0x2A9D5C,
                                       0x8E6BBF, 0x5B5B5B, 0xD17A22, 0x17BECF, 0x999999, 0xCCCCCC,
                                       0x1F77B4, 0xD62728, 0x2CA02C, 0x444444};
    PLINT r[16], g[16], b[16];
    for (int i = 0; i < 16; i++) {
        unsigned v = light[i];
        if (dark && i < 2) v = i == 0 ? 0x1E1E1E : 0xFFFFFF;
        r[i] = (PLINT)(v >> 16), g[i] = (PLINT)(v >> 8 & 0xFF), b[i] = (PLINT)(v & 0xFF);
    }
    plscmap0(r, g, b, 16);
    set_cmap1(colormap);
}
