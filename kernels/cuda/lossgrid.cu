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
