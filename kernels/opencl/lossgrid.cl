/*
 * lossgrid OpenCL kernels. The arithmetic is in common/loss_math.h (inlined by the Java loader);
 * this file adds only the launch structure and the reductions.
 *
 * Build options (-D): LOSS (a LOSS_* id of loss_math.h), K (features), and the opencl.* constants of
 * common/constants.properties (ROWS_PER_ITEM, CHUNK). Every kernel
 * takes the loss parameter lp (Huber's delta) as its last argument.
 */
#include "../common/loss_math.h"

/*
 * Brute-force surface tile: out[r * columns + c] = mean_i term(t_i - du_c p_i - dv_{row0+r} q_i).
 * Work-item (c, g) owns column c and ROWS_PER_ITEM = 32 rows from row0 + g * 32, held in registers as
 * two float16 while the samples stream through, two samples per step into separate accumulators.
 * Each row sums CHUNK samples in float, then adds the chunk into a compensated total, so the error
 * stays near CHUNK * eps.
 *
 * The explicit vectors are for CPU runtimes: POCL vectorises within a work-item, not across work-items
 * (the sample loop is inside the kernel), so with scalar rows it put 8 rows in a 256-bit register and
 * spent most instructions on each sample's scalar residual and broadcast: 3.3e10 evals/s on 2 cores.
 * Two float16 per sample and two samples per step reach 8.6e10 there. GPU compilers split the vectors
 * into scalars, which leaves each work-item 32 rows of independent work.
 */
#if !defined(CHUNK) || !defined(ROWS_PER_ITEM)
#error "build with the opencl.* defines of common/constants.properties (-D ROWS_PER_ITEM=.. -D CHUNK=..)"
#elif ROWS_PER_ITEM != 32
#error "the surface kernel holds its rows as two float16, so opencl.ROWS_PER_ITEM must be 32"
#endif

__kernel void surface(__global const float* t, __global const float* p, __global const float* q,
                      __global const float* du, __global const float* dv, const int n, const int columns,
                      const int row0, const int rows, __global float* out, const float lp) {
    const int c = get_global_id(0);
    const int first = get_global_id(1) * ROWS_PER_ITEM;
    if (c >= columns || first >= rows) {
        return;
    }
    const float u = du[c];
    float vs[ROWS_PER_ITEM];
    float sum[ROWS_PER_ITEM];
    float low[ROWS_PER_ITEM];
    for (int j = 0; j < ROWS_PER_ITEM; j++) {
        vs[j] = first + j < rows ? dv[row0 + first + j] : 0.0f;
        sum[j] = 0.0f;
        low[j] = 0.0f;
    }
    const float16 v0 = vload16(0, vs);
    const float16 v1 = vload16(1, vs);
    for (int i0 = 0; i0 < n; i0 += CHUNK) {
        const int i1 = min(n, i0 + CHUNK);
        float16 a0 = 0.0f;
        float16 a1 = 0.0f;
        float16 b0 = 0.0f;
        float16 b1 = 0.0f;
        int i = i0;
        for (; i + 2 <= i1; i += 2) {
            const float16 e0 = (float16) lg_residual(t[i], u, p[i]);
            const float16 q0 = (float16) q[i];
            a0 += LG_TERM(LG_RESIDUAL(e0, v0, q0), lp);
            a1 += LG_TERM(LG_RESIDUAL(e0, v1, q0), lp);
            const float16 e1 = (float16) lg_residual(t[i + 1], u, p[i + 1]);
            const float16 q1 = (float16) q[i + 1];
            b0 += LG_TERM(LG_RESIDUAL(e1, v0, q1), lp);
            b1 += LG_TERM(LG_RESIDUAL(e1, v1, q1), lp);
        }
        for (; i < i1; i++) {
            const float16 e0 = (float16) lg_residual(t[i], u, p[i]);
            const float16 q0 = (float16) q[i];
            a0 += LG_TERM(LG_RESIDUAL(e0, v0, q0), lp);
            a1 += LG_TERM(LG_RESIDUAL(e0, v1, q0), lp);
        }
        float chunk[ROWS_PER_ITEM];
        vstore16(a0 + b0, 0, chunk);
        vstore16(a1 + b1, 1, chunk);
        for (int j = 0; j < ROWS_PER_ITEM; j++) {
            lg_sum_add(&sum[j], &low[j], chunk[j]);
        }
    }
    for (int j = 0; j < ROWS_PER_ITEM && first + j < rows; j++) {
        out[(first + j) * columns + c] = (sum[j] + low[j]) / (float) n;
    }
}

/*
 * Per-work-group partial sums of [sum term(e), sum slope(e), sum slope(e) x_1, ..., sum slope(e) x_K]
 * for parameter set s = get_global_id(1). Each parameter arrives as a float pair (hi, lo) whose sum is
 * its double value, params[2 * (s * (K + 1) + m) + {0, 1}] for m = b, w_1..w_K: a float w would shift
 * every residual by the same rounding, a bias that the mean of cancelling residuals magnifies. Each work-item
 * accumulates a strided share of the samples as compensated (hi, lo) sums, then the group merges
 * them as a tree in local memory; the host adds the groups' partials in double.
 * partials[((s * groups + group) * (K + 2) + m) * 2 + {0: hi, 1: lo}]; scratch holds 2 * local floats.
 */
inline void reduce_loss_grad(__global const float* y, __global const float* x, const int n,
                             __global const float* params, __global float* partials, __local float* scratch,
                             const float lp) {
    const int set = get_global_id(1);
    const int lid = get_local_id(0);
    const int size = get_local_size(0);
    const int groups = get_num_groups(0);
    const int group = get_group_id(0);
    const int base = 2 * set * (K + 1);
    const float bHi = params[base];
    const float bLo = params[base + 1];
    float wHi[K];
    float wLo[K];
    float hi[K + 2];
    float lo[K + 2];
    for (int j = 0; j < K; j++) {
        wHi[j] = params[base + 2 * (j + 1)];
        wLo[j] = params[base + 2 * (j + 1) + 1];
    }
    for (int m = 0; m < K + 2; m++) {
        hi[m] = 0.0f;
        lo[m] = 0.0f;
    }
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        float e = (y[i] - bHi) - bLo;
        for (int j = 0; j < K; j++) {
            const float xj = x[j * n + i];
            e = lg_residual(lg_residual(e, wHi[j], xj), wLo[j], xj);
        }
        const float s = lg_slope(e, lp);
        lg_sum_add(&hi[0], &lo[0], lg_term(e, lp));
        lg_sum_add(&hi[1], &lo[1], s);
        for (int j = 0; j < K; j++) {
            lg_sum_add(&hi[2 + j], &lo[2 + j], s * x[j * n + i]);
        }
    }
    __local float* scratchLo = scratch + size;
    for (int m = 0; m < K + 2; m++) {
        scratch[lid] = hi[m];
        scratchLo[lid] = lo[m];
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int stride = size / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                float h = scratch[lid];
                float l = scratchLo[lid];
                lg_sum_merge(&h, &l, scratch[lid + stride], scratchLo[lid + stride]);
                scratch[lid] = h;
                scratchLo[lid] = l;
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (lid == 0) {
            partials[((set * groups + group) * (K + 2) + m) * 2] = scratch[0];
            partials[((set * groups + group) * (K + 2) + m) * 2 + 1] = scratchLo[0];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

/* Loss and gradient of one parameter set (global size (G, 1)). */
__kernel void loss_grad(__global const float* y, __global const float* x, const int n,
                        __global const float* params, __global float* partials, __local float* scratch,
                        const float lp) {
    reduce_loss_grad(y, x, n, params, partials, scratch, lp);
}

/* Loss and gradient of many parameter sets in one pass over the data (global size (G, sets)). */
__kernel void loss_grad_batch(__global const float* y, __global const float* x, const int n,
                              __global const float* params, __global float* partials, __local float* scratch,
                              const float lp) {
    reduce_loss_grad(y, x, n, params, partials, scratch, lp);
}

/*
 * Networks (sigmoid:H, relu:H, relu:HxL) on a chunk of m samples for each of several parameter sets (the
 * networks of a --seeds or --lr-sweep step, or the points of a landscape tile): set s = get_global_id(1)
 * has its parameters at theta[s * P ..], its m row indices at rows[s * m ..], its activations at
 * act[s * actStride ..], its deltas at delta[s * deltaStride ..] and its gradient pairs at grad[s * 2P ..].
 * Within a set, every layer's outputs are unit-major with the sample innermost: a_l[u, s'] is
 * act[offset_l + u * m + s'], a_0 the inputs. theta is flat, as org.lossgrid.model.Network orders it:
 * W_l[o, i] at weights + o * in + i, b_l[o] at biases + o. The backward pass keeps
 * delta_l[u, s'] = dterm_s' / dz_l[u, s'] in the same layout. Sums over samples are compensated (hi, lo)
 * pairs that the host adds in double.
 */

/* a_0[j, s'] = x_j(rows[s']) (global size (k * m, sets)) */
__kernel void net_gather(__global const float* x, const int n, const int k, __global const int* rows, const int m,
                         __global float* act, const int actStride) {
    const int g = get_global_id(0);
    if (g >= k * m) {
        return;
    }
    const int set = get_global_id(1);
    const int j = g / m;
    act[(size_t) set * actStride + g] = x[(size_t) j * n + rows[set * m + g - j * m]];
}

/* a_l[o, s'] = act(b_l[o] + sum_i W_l[o, i] a_(l-1)[i, s']), act none for the output layer (global size (out * m, sets)) */
__kernel void net_forward(__global const float* theta, const int parameters, const int weights, const int biases,
                          const int in, const int out, const int m, __global float* act, const int actStride,
                          const int from, const int to, const int activation) {
    const int g = get_global_id(0);
    if (g >= out * m) {
        return;
    }
    __global const float* w = theta + (size_t) get_global_id(1) * parameters;
    __global float* a = act + (size_t) get_global_id(1) * actStride;
    const int o = g / m;
    const int s = g - o * m;
    float z = w[biases + o];
    for (int i = 0; i < in; i++) {
        z = LG_FMA(w[weights + o * in + i], a[from + i * m + s], z);
    }
    a[to + g] = lg_activate(z, activation);
}

/*
 * The output layer: delta[s'] = dterm / dyhat = -slope(e_s'), e_s' = y(rows[s']) - yhat_s', and per group the
 * compensated sum of term(e_s') into partials[2 * (set * groups + group) + {0, 1}] (global size
 * (groups * local, sets), local a power of two).
 */
__kernel void net_output(__global const float* y, __global const int* rows, const int m, __global const float* act,
                         const int actStride, const int output, __global float* delta, const int deltaStride,
                         __global float* partials, __local float* scratch, const float lp) {
    const int lid = get_local_id(0);
    const int size = get_local_size(0);
    const int set = get_global_id(1);
    __global const float* yhat = act + (size_t) set * actStride + output;
    float hi = 0.0f;
    float lo = 0.0f;
    for (int s = get_global_id(0); s < m; s += get_global_size(0)) {
        const float e = y[rows[set * m + s]] - yhat[s];
        lg_sum_add(&hi, &lo, lg_term(e, lp));
        delta[(size_t) set * deltaStride + s] = -lg_slope(e, lp);
    }
    __local float* scratchLo = scratch + size;
    scratch[lid] = hi;
    scratchLo[lid] = lo;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = size / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            float h = scratch[lid];
            float l = scratchLo[lid];
            lg_sum_merge(&h, &l, scratch[lid + stride], scratchLo[lid + stride]);
            scratch[lid] = h;
            scratchLo[lid] = l;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        const int at = 2 * (set * get_num_groups(0) + get_group_id(0));
        partials[at] = scratch[0];
        partials[at + 1] = scratchLo[0];
    }
}

/*
 * sum_s' delta_l[o, s'] a_(l-1)[i, s'] = dL/dW_l[o, i] (times m), and for i = in the bias's sum_s' delta_l[o, s'],
 * as (hi, lo) pairs at grad[2 * (weights + o * in + i)] and grad[2 * (biases + o)] of the set's gradient
 * (global size (out * (in + 1), sets))
 */
__kernel void net_weight_grad(__global const float* delta, const int deltaStride, __global const float* act,
                              const int actStride, const int from, const int in, const int out, const int m,
                              const int parameters, const int weights, const int biases, __global float* grad) {
    const int g = get_global_id(0);
    if (g >= out * (in + 1)) {
        return;
    }
    __global const float* d = delta + (size_t) get_global_id(1) * deltaStride;
    __global const float* a = act + (size_t) get_global_id(1) * actStride + from;
    const int o = g / (in + 1);
    const int i = g - o * (in + 1);
    float hi = 0.0f;
    float lo = 0.0f;
    for (int s = 0; s < m; s++) {
        lg_sum_add(&hi, &lo, i < in ? d[o * m + s] * a[i * m + s] : d[o * m + s]);
    }
    const size_t at = (size_t) get_global_id(1) * parameters + (i < in ? weights + o * in + i : biases + o);
    grad[2 * at] = hi;
    grad[2 * at + 1] = lo;
}

/* delta_(l-1)[i, s'] = act'(a_(l-1)[i, s']) sum_o W_l[o, i] delta_l[o, s'] (global size (in * m, sets)) */
__kernel void net_backprop(__global const float* theta, const int parameters, const int weights, const int in,
                           const int out, const int m, __global const float* delta, __global float* previous,
                           const int deltaStride, __global const float* act, const int actStride, const int from,
                           const int activation) {
    const int g = get_global_id(0);
    if (g >= in * m) {
        return;
    }
    __global const float* w = theta + (size_t) get_global_id(1) * parameters;
    __global const float* d = delta + (size_t) get_global_id(1) * deltaStride;
    const int i = g / m;
    const int s = g - i * m;
    float sum = 0.0f;
    for (int o = 0; o < out; o++) {
        sum = LG_FMA(w[weights + o * in + i], d[o * m + s], sum);
    }
    previous[(size_t) get_global_id(1) * deltaStride + g] =
            sum * lg_activation_slope(act[(size_t) get_global_id(1) * actStride + from + g], activation);
}
