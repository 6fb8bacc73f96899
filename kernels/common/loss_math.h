/*
 * lossgrid: the per-sample arithmetic shared by the OpenCL and CUDA kernels, in plain C.
 *
 * Only the qualifiers and the spelling of two maths functions differ between OpenCL C and CUDA C;
 * they are the LG_* macros below. Build with -D LOSS=<id>, one of the LOSS_* ids below, which are those
 * of org.lossgrid.loss.Loss.kernelId(). Every kernel takes the loss's parameter lp (Huber's delta; 0 for
 * the others) as a run-time argument, so one compiled module serves every value of it.
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
#define LG_MIN(a, b) fmin((a), (b))
#define LG_MAX(a, b) fmax((a), (b))
#define LG_EXP(a) exp(a)
#elif defined(__CUDACC__)
#define LG_FN __device__ __forceinline__
#define LG_FMA(a, b, c) fmaf((a), (b), (c))
#define LG_ABS(a) fabsf(a)
#define LG_MIN(a, b) fminf((a), (b))
#define LG_MAX(a, b) fmaxf((a), (b))
#define LG_EXP(a) expf(a)
#else
#define LG_FN static inline
#define LG_FMA(a, b, c) ((a) * (b) + (c))
#define LG_ABS(a) ((a) < 0 ? -(a) : (a))
#define LG_MIN(a, b) ((a) < (b) ? (a) : (b))
#define LG_MAX(a, b) ((a) > (b) ? (a) : (b))
#define LG_EXP(a) expf(a)
#endif

#define LOSS_MAE 0
#define LOSS_MSE 1
#define LOSS_HUBER 2

#ifndef LOSS
#error "build with -D LOSS=<id>, one of the LOSS_* ids of loss_math.h: 0 (MAE), 1 (MSE), 2 (Huber)"
#endif

/*
 * term(e; lp): |e| for MAE, e^2 for MSE, and for Huber with delta = lp: e^2/2 for |e| <= delta, else
 * delta (|e| - delta/2), written branch-free as a (|e| - a/2) with a = min(|e|, delta). The macro also
 * takes OpenCL vector types.
 */
#if LOSS == LOSS_MAE
#define LG_TERM(e, lp) LG_ABS(e)
#elif LOSS == LOSS_MSE
#define LG_TERM(e, lp) ((e) * (e))
#elif LOSS == LOSS_HUBER
#define LG_TERM(e, lp) (LG_MIN(LG_ABS(e), (lp)) * (LG_ABS(e) - 0.5f * LG_MIN(LG_ABS(e), (lp))))
#else
#error "unknown LOSS id: see the LOSS_* ids of loss_math.h"
#endif
LG_FN float lg_term(float e, float lp) {
    return LG_TERM(e, lp);
}

/* slope(e; lp) = d term / d e: sign(e) (0 at 0) for MAE, 2e for MSE, clamp(e, -delta, delta) for Huber */
LG_FN float lg_slope(float e, float lp) {
#if LOSS == LOSS_MAE
    return (float) ((e > 0.0f) - (e < 0.0f));
#elif LOSS == LOSS_MSE
    return 2.0f * e;
#else
    return LG_MIN(LG_MAX(e, -lp), lp);
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

/*
 * Networks (sigmoid:H, relu:H, relu:HxL): the activation of a hidden unit and its slope, by the run-time
 * id act (the LG_ACT_* ids, the ordinals of org.lossgrid.model.ModelSpec.Activation). The slope is
 * written in terms of the unit's output a = act(z), which is what the backward pass keeps.
 */
#define LG_ACT_NONE 0
#define LG_ACT_SIGMOID 1
#define LG_ACT_RELU 2

/* act(z): max(z, 0) for ReLU, 1 / (1 + exp(-z)) for the sigmoid, z for none */
LG_FN float lg_activate(float z, int act) {
    if (act == LG_ACT_RELU) {
        return LG_MAX(z, 0.0f);
    }
    if (act == LG_ACT_SIGMOID) {
        return 1.0f / (1.0f + LG_EXP(-z));
    }
    return z;
}

/* act'(z) from a = act(z): [a > 0] for ReLU, a (1 - a) for the sigmoid, 1 for none */
LG_FN float lg_activation_slope(float a, int act) {
    if (act == LG_ACT_RELU) {
        return a > 0.0f ? 1.0f : 0.0f;
    }
    if (act == LG_ACT_SIGMOID) {
        return a * (1.0f - a);
    }
    return 1.0f;
}

#endif
