/*
 * lossgrid: the per-sample arithmetic shared by the OpenCL and CUDA kernels, in plain C.
 *
 * Only the qualifiers and the spelling of two maths functions differ between OpenCL C and CUDA C;
 * they are the LG_* macros below. Build with -D LOSS=0 (MAE) or -D LOSS=1 (MSE), the ids of
 * org.lossgrid.loss.Loss.kernelId().
 *
 * Model: e = y - b - sum_j w_j x_j.  Loss L = mean term(e).  Gradient: dL/db = -mean slope(e),
 * dL/dw_j = -mean slope(e) x_j.  Surfaces use the plane form e = t - du p - dv q (see SurfacePlane).
 */
#ifndef LOSSGRID_LOSS_MATH_H
#define LOSSGRID_LOSS_MATH_H

#if defined(__OPENCL_VERSION__)
#define LG_FN inline
#define LG_FMA(a, b, c) fma((a), (b), (c))
#define LG_ABS(a) fabs(a)
#elif defined(__CUDACC__)
#define LG_FN __device__ __forceinline__
#define LG_FMA(a, b, c) fmaf((a), (b), (c))
#define LG_ABS(a) fabsf(a)
#else
#define LG_FN static inline
#define LG_FMA(a, b, c) ((a) * (b) + (c))
#define LG_ABS(a) ((a) < 0 ? -(a) : (a))
#endif

#define LOSS_MAE 0
#define LOSS_MSE 1

#ifndef LOSS
#error "build with -D LOSS=0 (MAE) or -D LOSS=1 (MSE)"
#endif

/* term(e): |e| for MAE, e^2 for MSE; the macro also takes OpenCL vector types */
#if LOSS == LOSS_MAE
#define LG_TERM(e) LG_ABS(e)
#else
#define LG_TERM(e) ((e) * (e))
#endif
LG_FN float lg_term(float e) {
    return LG_TERM(e);
}

/* slope(e) = d term / d e: sign(e) (0 at 0) for MAE, 2e for MSE */
LG_FN float lg_slope(float e) {
#if LOSS == LOSS_MAE
    return (float) ((e > 0.0f) - (e < 0.0f));
#else
    return 2.0f * e;
#endif
}

/*
 * e = c - d * s in one rounding: the residual after subtracting one more parameter's term; the macro
 * also takes OpenCL vector types
 */
#define LG_RESIDUAL(c, d, s) LG_FMA(-(d), (s), (c))
LG_FN float lg_residual(float c, float d, float s) {
    return LG_RESIDUAL(c, d, s);
}

/*
 * Compensated summation: the value is *hi + *lo. TwoSum gives the exact rounding error of hi + x,
 * which is kept in lo, so a sum of float terms carries about twice float precision. Gradients of
 * view-count data cancel by a factor of 1000 or more, which plain float sums cannot resolve.
 * (Build without -cl-fast-relaxed-math / --use_fast_math: reassociation would remove the error term.)
 */
LG_FN void lg_sum_add(float* hi, float* lo, float x) {
    float s = *hi + x;
    float b = s - *hi;
    float error = (*hi - (s - b)) + (x - b);
    *hi = s;
    *lo += error;
}

/* (*hi, *lo) += (hi2, lo2): merges two compensated sums, as a tree reduction does */
LG_FN void lg_sum_merge(float* hi, float* lo, float hi2, float lo2) {
    lg_sum_add(hi, lo, hi2);
    *lo += lo2;
}

#endif
