/* SPDX-License-Identifier: MIT */
/* textwidth.c — how wide a string will be, for margins and legends. PLplot's own measure (plstrl) is
 * not exported, so gdlab keeps the advance widths of the font the cairo devices use: DejaVu Sans and
 * DejaVu Sans Bold, printable ASCII, in 1/1000 em (read from the fonts' hmtx tables, DejaVu 2.37).
 * Other characters count as a typical Greek letter; monospace is 0.602 em (DejaVu Sans Mono). */
#include <string.h>

#include "fig_internal.h"

static const unsigned short regular[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838};
static const unsigned short bold[95] = {
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838};

double fig_text_em(const char *text, int is_bold, int mono)
{
    double w = 0.0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if ((*s & 0xC0) == 0x80) continue; /* a UTF-8 continuation byte */
        if (mono)
            w += 602;
        else if (*s >= 32 && *s < 127)
            w += is_bold ? bold[*s - 32] : regular[*s - 32];
        else
            w += is_bold ? 700 : 650;
    }
    return w / 1000.0;
}
