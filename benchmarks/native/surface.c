/*
 * The physical-limit reference: the brute-force MAE or MSE surface in C, built with
 * gcc -O3 -march=native -fopenmp, with the loop order lossgrid's Java backend uses (a block of grid
 * columns innermost and vectorised, four samples per pass over it, float sums per 256-sample chunk
 * added into double).
 *
 * usage: surface DATA.bin LOSS(mae|mse) WMIN WMAX NW BMIN BMAX NB REPEATS OUT.bin
 * DATA.bin: int32 n, then float32 y[n], float32 x[n] (little-endian), as `lossgrid bench` writes it.
 * Writes the surface (float32, nb x nw, row = b) to OUT.bin and prints one JSON object:
 * {"seconds": fastest of REPEATS, "evals_per_second": nb*nw*n/seconds, "threads": T}.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 512
#define CHUNK 256

static void row(const float* y, const float* x, int n, float b, const float* w, int nw, int mae, float* out) {
    float acc[BLOCK] __attribute__((aligned(64)));
    double total[BLOCK];
    for (int c0 = 0; c0 < nw; c0 += BLOCK) {
        const int width = nw - c0 < BLOCK ? nw - c0 : BLOCK;
        const float* wb = w + c0;
        for (int c = 0; c < width; c++) {
            total[c] = 0;
        }
        for (int i0 = 0; i0 < n; i0 += CHUNK) {
            const int i1 = i0 + CHUNK < n ? i0 + CHUNK : n;
            for (int c = 0; c < width; c++) {
                acc[c] = 0;
            }
            int i = i0;
            for (; i + 3 < i1; i += 4) {
                const float m0 = y[i] - b, m1 = y[i + 1] - b, m2 = y[i + 2] - b, m3 = y[i + 3] - b;
                const float p0 = -x[i], p1 = -x[i + 1], p2 = -x[i + 2], p3 = -x[i + 3];
                if (mae) {
                    for (int c = 0; c < width; c++) {
                        const float u = wb[c];
                        acc[c] += fabsf(fmaf(u, p0, m0)) + fabsf(fmaf(u, p1, m1)) + fabsf(fmaf(u, p2, m2)) + fabsf(fmaf(u, p3, m3));
                    }
                } else {
                    for (int c = 0; c < width; c++) {
                        const float u = wb[c];
                        const float e0 = fmaf(u, p0, m0), e1 = fmaf(u, p1, m1), e2 = fmaf(u, p2, m2), e3 = fmaf(u, p3, m3);
                        acc[c] += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
                    }
                }
            }
            for (; i < i1; i++) {
                const float m = y[i] - b, p = -x[i];
                for (int c = 0; c < width; c++) {
                    const float e = fmaf(wb[c], p, m);
                    acc[c] += mae ? fabsf(e) : e * e;
                }
            }
            for (int c = 0; c < width; c++) {
                total[c] += acc[c];
            }
        }
        for (int c = 0; c < width; c++) {
            out[c0 + c] = (float) (total[c] / n);
        }
    }
}

int main(int argc, char** argv) {
    if (argc != 11) {
        fprintf(stderr, "usage: %s DATA.bin mae|mse WMIN WMAX NW BMIN BMAX NB REPEATS OUT.bin\n", argv[0]);
        return 2;
    }
    FILE* in = fopen(argv[1], "rb");
    int n;
    if (!in || fread(&n, sizeof n, 1, in) != 1 || n < 1) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    float* y = malloc(sizeof(float) * n);
    float* x = malloc(sizeof(float) * n);
    if (fread(y, sizeof(float), n, in) != (size_t) n || fread(x, sizeof(float), n, in) != (size_t) n) {
        fprintf(stderr, "%s is truncated\n", argv[1]);
        return 2;
    }
    fclose(in);
    const int mae = strcmp(argv[2], "mae") == 0;
    const double wmin = atof(argv[3]), wmax = atof(argv[4]), bmin = atof(argv[6]), bmax = atof(argv[7]);
    const int nw = atoi(argv[5]), nb = atoi(argv[8]), repeats = atoi(argv[9]);
    float* w = malloc(sizeof(float) * nw);
    for (int c = 0; c < nw; c++) {
        w[c] = (float) (nw == 1 ? wmin : wmin + c * ((wmax - wmin) / (nw - 1)));
    }
    float* out = malloc(sizeof(float) * (size_t) nw * nb);
    double best = 1e300;
    for (int r = 0; r < repeats; r++) {
        const double t0 = omp_get_wtime();
#pragma omp parallel for schedule(dynamic, 4)
        for (int i = 0; i < nb; i++) {
            const float b = (float) (nb == 1 ? bmin : bmin + i * ((bmax - bmin) / (nb - 1)));
            row(y, x, n, b, w, nw, mae, out + (size_t) i * nw);
        }
        const double t = omp_get_wtime() - t0;
        best = t < best ? t : best;
    }
    FILE* o = fopen(argv[10], "wb");
    if (!o || fwrite(out, sizeof(float), (size_t) nw * nb, o) != (size_t) nw * nb) {
        fprintf(stderr, "cannot write %s\n", argv[10]);
        return 2;
    }
    fclose(o);
    printf("{\"seconds\": %.9g, \"evals_per_second\": %.6g, \"threads\": %d}\n", best, (double) nw * nb * n / best,
           omp_get_max_threads());
    return 0;
}
