/* SPDX-License-Identifier: MIT */
/* figcompare — image comparison for figure tests, in the manner of matplotlib's compare_images:
 * the root mean square of the per-channel difference (0..255) against a reviewed reference, with a
 * tolerance. References are kept small (about 15 kB a figure): a figure is reduced by an integer box
 * filter until its longer side is at most REDUCED_SIDE pixels, each channel is kept to 4 bits (the
 * centre of its 16-wide bin: PNG then compresses it about three times better), and the reduced
 * picture is what is stored and compared.
 *
 *   figcompare reduce FIGURE.png REFERENCE.png       write the reduced figure (new reference)
 *   figcompare compare REFERENCE.png FIGURE.png DIFF.png [TOLERANCE]
 *
 * compare exits 0 when the RMS is at most TOLERANCE (default 2; a pixel whose channel crosses a 4-bit
 * bin adds 16 to one channel's difference, so 2 allows such flips on about 1.5 % of the channels); otherwise it writes DIFF.png (the
 * absolute difference, ten times brighter, as matplotlib's failed-diff images are), prints its path
 * and exits 1. Bad input (missing or unreadable files, other sizes) exits 2 with the reason. */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_pixels.h"

#define REDUCED_SIDE 320
#define DEFAULT_TOLERANCE 2.0

typedef struct picture {
    unsigned w, h;
    unsigned char *rgb; /* w * h * 3 */
} picture;

static int load(const char *path, picture *p)
{
    char err[512];
    p->rgb = png_pixels_read(path, PNG_FORMAT_RGB, &p->w, &p->h, err, sizeof err);
    if (!p->rgb) fprintf(stderr, "figcompare: %s\n", err);
    return p->rgb ? 0 : -1;
}

static int save(const char *path, const picture *p)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    pi.width = p->w, pi.height = p->h, pi.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&pi, path, 0, p->rgb, 0, NULL)) {
        fprintf(stderr, "figcompare: cannot write '%s': %s\n", path, pi.message);
        return -1;
    }
    return 0;
}

/* Average f x f blocks, f the smallest integer that brings the longer side to REDUCED_SIDE or less;
 * keep 4 bits of each channel. */
static int reduce(const picture *in, picture *out)
{
    const unsigned longer = in->w > in->h ? in->w : in->h;
    const unsigned f = (longer + REDUCED_SIDE - 1) / REDUCED_SIDE;
    out->w = in->w / f, out->h = in->h / f;
    if (out->w == 0 || out->h == 0) return -1;
    out->rgb = malloc((size_t)out->w * out->h * 3);
    if (!out->rgb) return -1;
    for (unsigned y = 0; y < out->h; y++)
        for (unsigned x = 0; x < out->w; x++)
            for (int c = 0; c < 3; c++) {
                unsigned long sum = 0;
                for (unsigned dy = 0; dy < f; dy++)
                    for (unsigned dx = 0; dx < f; dx++)
                        sum += in->rgb[(((size_t)(y * f + dy)) * in->w + x * f + dx) * 3 + (size_t)c];
                const unsigned mean = (unsigned)((sum + f * f / 2) / (f * f));
                out->rgb[((size_t)y * out->w + x) * 3 + (size_t)c] = (unsigned char)((mean & 0xF0) | 0x08);
            }
    return 0;
}

static int load_reduced(const char *path, picture *out)
{
    picture full;
    if (load(path, &full)) return -1;
    const int rc = reduce(&full, out);
    if (rc) fprintf(stderr, "figcompare: '%s' (%u x %u) is too small to reduce\n", path, full.w, full.h);
    free(full.rgb);
    return rc;
}

static int compare(const char *ref_path, const char *fig_path, const char *diff_path, double tol)
{
    picture ref, fig;
    if (load(ref_path, &ref)) {
        fprintf(stderr, "figcompare: no reference for '%s'; if the figure is new, review it and run "
                        "tests/figures/update_references.sh\n", fig_path);
        return 2;
    }
    if (load_reduced(fig_path, &fig)) {
        free(ref.rgb);
        return 2;
    }
    if (ref.w != fig.w || ref.h != fig.h) {
        fprintf(stderr, "figcompare: '%s' reduces to %u x %u, its reference '%s' is %u x %u\n", fig_path,
                fig.w, fig.h, ref_path, ref.w, ref.h);
        free(ref.rgb), free(fig.rgb);
        return 1;
    }
    const size_t n = (size_t)ref.w * ref.h * 3;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double d = (double)ref.rgb[i] - fig.rgb[i];
        sum += d * d;
    }
    const double rms = sqrt(sum / (double)n);
    int rc = 0;
    if (rms > tol) {
        for (size_t i = 0; i < n; i++) {
            const int d = abs((int)ref.rgb[i] - fig.rgb[i]) * 10;
            fig.rgb[i] = (unsigned char)(d > 255 ? 255 : d);
        }
        rc = save(diff_path, &fig) ? 2 : 1;
        fprintf(stderr, "figcompare: '%s' differs from '%s': RMS %.3f > tolerance %.3f; difference in %s\n",
                fig_path, ref_path, rms, tol, diff_path);
    } else {
        printf("figcompare: %s matches %s (RMS %.3f <= %.3f)\n", fig_path, ref_path, rms, tol);
    }
    free(ref.rgb), free(fig.rgb);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "reduce") == 0) {
        picture r;
        if (load_reduced(argv[2], &r)) return 2;
        const int rc = save(argv[3], &r);
        free(r.rgb);
        return rc ? 2 : 0;
    }
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "compare") == 0) {
        double tol = DEFAULT_TOLERANCE;
        if (argc == 6) {
            char *end;
            tol = strtod(argv[5], &end);
            if (*end || !(tol >= 0)) {
                fprintf(stderr, "figcompare: tolerance '%s' is not a number >= 0\n", argv[5]);
                return 2;
            }
        }
        return compare(argv[2], argv[3], argv[4], tol);
    }
    fprintf(stderr, "usage: figcompare reduce FIGURE.png REFERENCE.png\n"
                    "       figcompare compare REFERENCE.png FIGURE.png DIFF.png [TOLERANCE]\n");
    return 2;
}
