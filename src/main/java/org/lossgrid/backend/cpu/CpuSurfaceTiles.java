package org.lossgrid.backend.cpu;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.loss.Loss;
import org.lossgrid.backend.SurfacePlane;

/**
 * Brute-force surface on the CPU, {@code L(r, c) = mean_i term(t_i - du_c p_i - dv_r q_i)}.
 *
 * <p>Loop order (DESIGN.md section 8): a block of columns of one row is the innermost, vectorised
 * loop, and the samples stream through it four at a time, so each load and store of the block's
 * accumulators is shared by four samples. The quad loop counts by one: C2 (JDK 17 to 25) does not
 * vectorise an inner loop nested in an outer loop of stride four, which costs a factor of ten.
 * Accumulators are float32 within a chunk of {@value #CHUNK} samples and are then added into a
 * compensated float pair, as in the kernels, which bounds the rounding error by about
 * {@code CHUNK * eps} instead of {@code N * eps}. Work items are (row, column block) pairs spread over
 * the backend's pool.
 */
final class CpuSurfaceTiles implements SurfaceTiles {
    /** Columns per work item: the block and its accumulators stay in L1. */
    static final int BLOCK = 512;
    /** Samples summed in float32 before the partial sum is added into the compensated total. */
    static final int CHUNK = 256;

    private final Loss loss;
    private final SurfacePlane.Floats plane;
    private final ForkJoinPool pool;

    CpuSurfaceTiles(Loss loss, SurfacePlane plane, ForkJoinPool pool) {
        this.loss = loss;
        this.plane = plane.floats();
        this.pool = pool;
    }

    @Override
    public int maxRowsPerTile() {
        return Integer.MAX_VALUE / Math.max(1, plane.du().length);
    }

    @Override
    public long workingBytes(int rows) {
        return 0;
    }

    @Override
    public void computeRows(int row0, int rows, float[] out) {
        int columns = plane.du().length;
        int blocks = (columns + BLOCK - 1) / BLOCK;
        Runnable all = () -> IntStream.range(0, rows * blocks).parallel().forEach(item -> {
            int r = item / blocks;
            int c0 = (item % blocks) * BLOCK;
            int width = Math.min(BLOCK, columns - c0);
            block(plane.dv()[row0 + r], c0, width, out, r * columns + c0);
        });
        pool.submit(all).join();
    }

    /** out[at + c] = mean_i term(t_i - dv q_i - du[c0 + c] p_i) for c in [0, width) */
    private void block(float dv, int c0, int width, float[] out, int at) {
        float[] t = plane.t();
        float[] p = plane.p();
        float[] q = plane.q();
        int n = t.length;
        float[] du = Arrays.copyOfRange(plane.du(), c0, c0 + width);
        float[] chunk = new float[width];
        float[] high = new float[width];
        float[] low = new float[width];
        for (int i0 = 0; i0 < n; i0 += CHUNK) {
            int i1 = Math.min(n, i0 + CHUNK);
            Arrays.fill(chunk, 0f);
            switch (loss.kind()) {
                case MAE -> maeChunk(t, p, q, dv, du, chunk, i0, i1);
                case MSE -> mseChunk(t, p, q, dv, du, chunk, i0, i1);
                case HUBER -> huberChunk(t, p, q, dv, du, loss.kernelParameter(), chunk, i0, i1);
            }
            addCompensated(high, low, chunk);
        }
        for (int c = 0; c < width; c++) {
            out[at + c] = (float) (((double) high[c] + low[c]) / n);
        }
    }

    /**
     * (high[c], low[c]) += x[c] with TwoSum, as the kernels' lg_sum_add: low keeps the exact rounding
     * error of each addition, so the pair carries about twice float precision, in float arithmetic that
     * C2 vectorises (a double total costs a scalar conversion per column and chunk).
     */
    private static void addCompensated(float[] high, float[] low, float[] x) {
        for (int c = 0; c < x.length; c++) {
            float sum = high[c] + x[c];
            float rounded = sum - high[c];
            low[c] += (high[c] - (sum - rounded)) + (x[c] - rounded);
            high[c] = sum;
        }
    }

    /** acc[c] += sum_{i in [i0, i1)} |du[c] p_i - (t_i - dv q_i)| */
    private static void maeChunk(float[] t, float[] p, float[] q, float dv, float[] du, float[] acc, int i0, int i1) {
        int width = du.length;
        int quads = (i1 - i0) / 4;
        for (int s = 0; s < quads; s++) {
            int i = i0 + 4 * s;
            float p0 = p[i];
            float p1 = p[i + 1];
            float p2 = p[i + 2];
            float p3 = p[i + 3];
            float m0 = dv * q[i] - t[i];
            float m1 = dv * q[i + 1] - t[i + 1];
            float m2 = dv * q[i + 2] - t[i + 2];
            float m3 = dv * q[i + 3] - t[i + 3];
            for (int c = 0; c < width; c++) {
                float u = du[c];
                acc[c] += Math.abs(Math.fma(u, p0, m0)) + Math.abs(Math.fma(u, p1, m1))
                        + Math.abs(Math.fma(u, p2, m2)) + Math.abs(Math.fma(u, p3, m3));
            }
        }
        for (int i = i0 + 4 * quads; i < i1; i++) {
            float pi = p[i];
            float mi = dv * q[i] - t[i];
            for (int c = 0; c < width; c++) {
                acc[c] += Math.abs(Math.fma(du[c], pi, mi));
            }
        }
    }

    /** acc[c] += sum_{i in [i0, i1)} (du[c] p_i - (t_i - dv q_i))^2 */
    private static void mseChunk(float[] t, float[] p, float[] q, float dv, float[] du, float[] acc, int i0, int i1) {
        int width = du.length;
        int quads = (i1 - i0) / 4;
        for (int s = 0; s < quads; s++) {
            int i = i0 + 4 * s;
            float p0 = p[i];
            float p1 = p[i + 1];
            float p2 = p[i + 2];
            float p3 = p[i + 3];
            float m0 = dv * q[i] - t[i];
            float m1 = dv * q[i + 1] - t[i + 1];
            float m2 = dv * q[i + 2] - t[i + 2];
            float m3 = dv * q[i + 3] - t[i + 3];
            for (int c = 0; c < width; c++) {
                float u = du[c];
                float e0 = Math.fma(u, p0, m0);
                float e1 = Math.fma(u, p1, m1);
                float e2 = Math.fma(u, p2, m2);
                float e3 = Math.fma(u, p3, m3);
                acc[c] += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
            }
        }
        for (int i = i0 + 4 * quads; i < i1; i++) {
            float pi = p[i];
            float mi = dv * q[i] - t[i];
            for (int c = 0; c < width; c++) {
                float e = Math.fma(du[c], pi, mi);
                acc[c] += e * e;
            }
        }
    }

    /**
     * acc[c] += sum_{i in [i0, i1)} huber(du[c] p_i - (t_i - dv q_i)), huber(e) = a (|e| - a/2) with
     * a = min(|e|, delta): e^2/2 within delta, delta (|e| - delta/2) beyond, as in loss_math.h. C2 vectorises
     * this form (1.1e10 evals/s on 2 AMD EPYC cores, a third of the MAE loop); writing the min with abs
     * ((x + delta - |x - delta|) / 2) made it scalar, eight times slower.
     */
    private static void huberChunk(float[] t, float[] p, float[] q, float dv, float[] du, float delta, float[] acc,
            int i0, int i1) {
        int width = du.length;
        int quads = (i1 - i0) / 4;
        for (int s = 0; s < quads; s++) {
            int i = i0 + 4 * s;
            float p0 = p[i];
            float p1 = p[i + 1];
            float p2 = p[i + 2];
            float p3 = p[i + 3];
            float m0 = dv * q[i] - t[i];
            float m1 = dv * q[i + 1] - t[i + 1];
            float m2 = dv * q[i + 2] - t[i + 2];
            float m3 = dv * q[i + 3] - t[i + 3];
            for (int c = 0; c < width; c++) {
                float u = du[c];
                float x0 = Math.abs(Math.fma(u, p0, m0));
                float x1 = Math.abs(Math.fma(u, p1, m1));
                float x2 = Math.abs(Math.fma(u, p2, m2));
                float x3 = Math.abs(Math.fma(u, p3, m3));
                float a0 = Math.min(x0, delta);
                float a1 = Math.min(x1, delta);
                float a2 = Math.min(x2, delta);
                float a3 = Math.min(x3, delta);
                acc[c] += a0 * (x0 - 0.5f * a0) + a1 * (x1 - 0.5f * a1) + a2 * (x2 - 0.5f * a2) + a3 * (x3 - 0.5f * a3);
            }
        }
        for (int i = i0 + 4 * quads; i < i1; i++) {
            float pi = p[i];
            float mi = dv * q[i] - t[i];
            for (int c = 0; c < width; c++) {
                float x = Math.abs(Math.fma(du[c], pi, mi));
                float a = Math.min(x, delta);
                acc[c] += a * (x - 0.5f * a);
            }
        }
    }
}
