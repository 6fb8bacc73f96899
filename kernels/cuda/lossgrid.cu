/*
 * lossgrid CUDA kernels: the same arithmetic as kernels/opencl/lossgrid.cl (common/loss_math.h),
 * with CUDA launch structure and reductions (warp shuffles, then shared memory across warps).
 *
 * Built once per loss by kernels/cuda/build-ptx.sh, with -D LOSS=<id> for each LOSS_* id of loss_math.h.
 * The number of features is a run-time argument k <= MAX_K, and every kernel takes the loss parameter lp
 * (Huber's delta) as its last argument. Entry points are extern "C" so that their PTX names are
 * the names the Java launch code uses (CudaKernels); a test checks their parameter lists.
 */
#include "../common/loss_math.h"

/* MAX_K, ROWS_PER_ITEM and CHUNK come as -D defines from kernels/common/constants.properties. */
#if !defined(MAX_K) || !defined(ROWS_PER_ITEM) || !defined(CHUNK)
#error "build with the cuda.* defines of kernels/common/constants.properties (-D MAX_K=.. -D ROWS_PER_ITEM=.. -D CHUNK=..)"
#endif
#define FULL_MASK 0xffffffffu

/* The loss id this module was built for: the host reads it (cuModuleGetGlobal) to verify a module when it loads it. */
extern "C" __device__ const int lossgrid_loss = LOSS;

/*
 * Brute-force surface tile: out[r * columns + c] = mean_i term(t_i - du_c p_i - dv_{row0+r} q_i).
 * Thread (c, g) owns column c and ROWS_PER_ITEM rows in registers; the samples stream through them.
 * Threads of a warp share the sample, so every load of t[i], p[i], q[i] is a broadcast.
 */
extern "C" __global__ void surface(const float* __restrict__ t, const float* __restrict__ p,
                                   const float* __restrict__ q, const float* __restrict__ du,
                                   const float* __restrict__ dv, int n, int columns, int row0, int rows,
                                   float* __restrict__ out, float lp) {
    const int c = blockIdx.x * blockDim.x + threadIdx.x;
    const int first = (blockIdx.y * blockDim.y + threadIdx.y) * ROWS_PER_ITEM;
    if (c >= columns || first >= rows) {
        return;
    }
    const float u = du[c];
    float v[ROWS_PER_ITEM];
    float sum[ROWS_PER_ITEM];
    float low[ROWS_PER_ITEM];
    float chunk[ROWS_PER_ITEM];
#pragma unroll
    for (int j = 0; j < ROWS_PER_ITEM; j++) {
        v[j] = first + j < rows ? dv[row0 + first + j] : 0.0f;
        sum[j] = 0.0f;
        low[j] = 0.0f;
    }
    for (int i0 = 0; i0 < n; i0 += CHUNK) {
        const int i1 = min(n, i0 + CHUNK);
#pragma unroll
        for (int j = 0; j < ROWS_PER_ITEM; j++) {
            chunk[j] = 0.0f;
        }
        for (int i = i0; i < i1; i++) {
            const float e0 = lg_residual(t[i], u, p[i]);
            const float qi = q[i];
#pragma unroll
            for (int j = 0; j < ROWS_PER_ITEM; j++) {
                chunk[j] += lg_term(lg_residual(e0, v[j], qi), lp);
            }
        }
#pragma unroll
        for (int j = 0; j < ROWS_PER_ITEM; j++) {
            lg_sum_add(&sum[j], &low[j], chunk[j]);
        }
    }
    for (int j = 0; j < ROWS_PER_ITEM && first + j < rows; j++) {
        out[(first + j) * columns + c] = (sum[j] + low[j]) / (float) n;
    }
}

/* Merges the compensated sums of a warp into lane 0 with shuffles (no volatile warp-synchronous code). */
__device__ __forceinline__ void warp_merge(float* hi, float* lo) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        const float h = __shfl_down_sync(FULL_MASK, *hi, offset);
        const float l = __shfl_down_sync(FULL_MASK, *lo, offset);
        lg_sum_merge(hi, lo, h, l);
    }
}

/*
 * Per-block partial sums of [sum term(e), sum slope(e), sum slope(e) x_1..x_k] for parameter set
 * blockIdx.y, as compensated (hi, lo) pairs: partials[((s * gridDim.x + block) * (k + 2) + m) * 2 + {0, 1}].
 * Parameters arrive as float (hi, lo) pairs, params[2 * (s * (k + 1) + m) + {0, 1}], m = b, w_1..w_k.
 * Block size: a multiple of 32, at most 1024.
 */
__device__ void reduce_loss_grad(const float* __restrict__ y, const float* __restrict__ x, int n, int k,
                                 const float* __restrict__ params, float* __restrict__ partials, float lp) {
    __shared__ float warpHi[32];
    __shared__ float warpLo[32];
    const int set = blockIdx.y;
    const int base = 2 * set * (k + 1);
    const float bHi = params[base];
    const float bLo = params[base + 1];
    float hi[MAX_K + 2];
    float lo[MAX_K + 2];
    for (int m = 0; m < k + 2; m++) {
        hi[m] = 0.0f;
        lo[m] = 0.0f;
    }
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float e = (y[i] - bHi) - bLo;
        for (int j = 0; j < k; j++) {
            const float xj = x[(size_t) j * n + i];
            e = lg_residual(lg_residual(e, params[base + 2 * (j + 1)], xj), params[base + 2 * (j + 1) + 1], xj);
        }
        const float s = lg_slope(e, lp);
        lg_sum_add(&hi[0], &lo[0], lg_term(e, lp));
        lg_sum_add(&hi[1], &lo[1], s);
        for (int j = 0; j < k; j++) {
            lg_sum_add(&hi[2 + j], &lo[2 + j], s * x[(size_t) j * n + i]);
        }
    }
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int warps = blockDim.x >> 5;
    for (int m = 0; m < k + 2; m++) {
        float h = hi[m];
        float l = lo[m];
        warp_merge(&h, &l);
        if (lane == 0) {
            warpHi[warp] = h;
            warpLo[warp] = l;
        }
        __syncthreads();
        if (warp == 0) {
            h = lane < warps ? warpHi[lane] : 0.0f;
            l = lane < warps ? warpLo[lane] : 0.0f;
            warp_merge(&h, &l);
            if (lane == 0) {
                const int at = ((set * gridDim.x + blockIdx.x) * (k + 2) + m) * 2;
                partials[at] = h;
                partials[at + 1] = l;
            }
        }
        __syncthreads();
    }
}

/* Loss and gradient of one parameter set (grid (G, 1)). */
extern "C" __global__ void loss_grad(const float* __restrict__ y, const float* __restrict__ x, int n, int k,
                                     const float* __restrict__ params, float* __restrict__ partials, float lp) {
    reduce_loss_grad(y, x, n, k, params, partials, lp);
}

/* Loss and gradient of many parameter sets in one pass (grid (G, sets)). */
extern "C" __global__ void loss_grad_batch(const float* __restrict__ y, const float* __restrict__ x, int n, int k,
                                           const float* __restrict__ params, float* __restrict__ partials, float lp) {
    reduce_loss_grad(y, x, n, k, params, partials, lp);
}

/*
 * Networks (sigmoid:H, relu:H, relu:HxL) on a chunk of m samples for each of several parameter sets,
 * launched by org.lossgrid.backend.NetworkPasses as on OpenCL (kernels/opencl/lossgrid.cl has the same
 * kernels and says how the buffers are laid out): set s = blockIdx.y has its parameters at theta[s * P ..],
 * its rows at rows[s * m ..], its activations at act[s * actStride ..], its deltas at
 * delta[s * deltaStride ..] and its gradient pairs at grad[s * 2P ..]. One thread per output element,
 * (items + blockDim.x - 1) / blockDim.x blocks in x; sums over samples are compensated (hi, lo) pairs.
 */

/* a_0[j, s'] = x_j(rows[s']) (k * m threads per set) */
extern "C" __global__ void net_gather(const float* __restrict__ x, int n, int k, const int* __restrict__ rows, int m,
                                      float* __restrict__ act, int actStride) {
    const int g = blockIdx.x * blockDim.x + threadIdx.x;
    if (g >= k * m) {
        return;
    }
    const int set = blockIdx.y;
    const int j = g / m;
    act[(size_t) set * actStride + g] = x[(size_t) j * n + rows[set * m + g - j * m]];
}

/* a_l[o, s'] = act(b_l[o] + sum_i W_l[o, i] a_(l-1)[i, s']), act none for the output layer (out * m threads per set) */
extern "C" __global__ void net_forward(const float* __restrict__ theta, int parameters, int weights, int biases, int in,
                                       int out, int m, float* __restrict__ act, int actStride, int from, int to,
                                       int activation) {
    const int g = blockIdx.x * blockDim.x + threadIdx.x;
    if (g >= out * m) {
        return;
    }
    const size_t w = (size_t) blockIdx.y * parameters;
    const size_t a = (size_t) blockIdx.y * actStride;
    const int o = g / m;
    const int s = g - o * m;
    float z = theta[w + biases + o];
    for (int i = 0; i < in; i++) {
        z = LG_FMA(theta[w + weights + o * in + i], act[a + from + i * m + s], z);
    }
    act[a + to + g] = lg_activate(z, activation);
}

/*
 * The output layer: delta[s'] = dterm / dyhat = -slope(e_s'), e_s' = y(rows[s']) - yhat_s', and per block the
 * compensated sum of term(e_s') into partials[2 * (set * gridDim.x + blockIdx.x) + {0, 1}] (blocks of whole
 * warps, at most 1024 threads).
 */
extern "C" __global__ void net_output(const float* __restrict__ y, const int* __restrict__ rows, int m,
                                      const float* __restrict__ act, int actStride, int output,
                                      float* __restrict__ delta, int deltaStride, float* __restrict__ partials, float lp) {
    __shared__ float outputHi[32];
    __shared__ float outputLo[32];
    const int set = blockIdx.y;
    float hi = 0.0f;
    float lo = 0.0f;
    for (int s = blockIdx.x * blockDim.x + threadIdx.x; s < m; s += gridDim.x * blockDim.x) {
        const float e = y[rows[set * m + s]] - act[(size_t) set * actStride + output + s];
        lg_sum_add(&hi, &lo, lg_term(e, lp));
        delta[(size_t) set * deltaStride + s] = -lg_slope(e, lp);
    }
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    warp_merge(&hi, &lo);
    if (lane == 0) {
        outputHi[warp] = hi;
        outputLo[warp] = lo;
    }
    __syncthreads();
    if (warp == 0) {
        hi = lane < (int) (blockDim.x >> 5) ? outputHi[lane] : 0.0f;
        lo = lane < (int) (blockDim.x >> 5) ? outputLo[lane] : 0.0f;
        warp_merge(&hi, &lo);
        if (lane == 0) {
            const int at = 2 * (set * gridDim.x + blockIdx.x);
            partials[at] = hi;
            partials[at + 1] = lo;
        }
    }
}

/*
 * sum_s' delta_l[o, s'] a_(l-1)[i, s'] = dL/dW_l[o, i] (times m), and for i = in the bias's sum_s' delta_l[o, s'],
 * as (hi, lo) pairs at grad[2 * (weights + o * in + i)] and grad[2 * (biases + o)] of the set's gradient
 * (out * (in + 1) threads per set)
 */
extern "C" __global__ void net_weight_grad(const float* __restrict__ delta, int deltaStride,
                                           const float* __restrict__ act, int actStride, int from, int in, int out,
                                           int m, int parameters, int weights, int biases, float* __restrict__ grad) {
    const int g = blockIdx.x * blockDim.x + threadIdx.x;
    if (g >= out * (in + 1)) {
        return;
    }
    const size_t d = (size_t) blockIdx.y * deltaStride;
    const size_t a = (size_t) blockIdx.y * actStride + from;
    const int o = g / (in + 1);
    const int i = g - o * (in + 1);
    float hi = 0.0f;
    float lo = 0.0f;
    for (int s = 0; s < m; s++) {
        lg_sum_add(&hi, &lo, i < in ? delta[d + o * m + s] * act[a + i * m + s] : delta[d + o * m + s]);
    }
    const size_t at = (size_t) blockIdx.y * parameters + (i < in ? weights + o * in + i : biases + o);
    grad[2 * at] = hi;
    grad[2 * at + 1] = lo;
}

/* delta_(l-1)[i, s'] = act'(a_(l-1)[i, s']) sum_o W_l[o, i] delta_l[o, s'] (in * m threads per set) */
extern "C" __global__ void net_backprop(const float* __restrict__ theta, int parameters, int weights, int in, int out,
                                        int m, const float* __restrict__ delta, float* __restrict__ previous,
                                        int deltaStride, const float* __restrict__ act, int actStride, int from,
                                        int activation) {
    const int g = blockIdx.x * blockDim.x + threadIdx.x;
    if (g >= in * m) {
        return;
    }
    const size_t w = (size_t) blockIdx.y * parameters;
    const size_t d = (size_t) blockIdx.y * deltaStride;
    const int i = g / m;
    const int s = g - i * m;
    float sum = 0.0f;
    for (int o = 0; o < out; o++) {
        sum = LG_FMA(theta[w + weights + o * in + i], delta[d + o * m + s], sum);
    }
    previous[d + g] = sum * lg_activation_slope(act[(size_t) blockIdx.y * actStride + from + g], activation);
}
