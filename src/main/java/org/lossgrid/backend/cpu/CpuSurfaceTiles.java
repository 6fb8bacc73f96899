package org.lossgrid.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.loss.Loss;
import org.lossgrid.backend.SurfacePlane;

/**
 * Brute-force surface on the CPU, {@code L(r, c) = mean_i term(t_i - du_c p_i - dv_r q_i)}.
 *
 * <p>Loop order (DESIGN.md section 8): a block of columns of one row is the inner, vectorised dimension and
 * the samples stream through it; the innermost loops are the loss's {@link SurfaceLoops.ChunkSum}, vector
 * or scalar (see {@link SurfaceLoopsChoice}). Accumulators are float32 within a chunk of {@value #CHUNK}
 * samples and are then added into a compensated float pair, as in the kernels, which bounds the rounding
 * error by about {@code CHUNK * eps} instead of {@code N * eps}. Work items are (row, column block) pairs
 * spread over the backend's pool.
 */
final class CpuSurfaceTiles implements SurfaceTiles {
    /** Columns per work item: the block and its accumulators stay in L1. */
    static final int BLOCK = 512;
    /** Samples summed in float32 before the partial sum is added into the compensated total. */
    static final int CHUNK = 256;

    private final SurfacePlane.Floats plane;
    private final ForkJoinPool pool;
    private final SurfaceLoops loops;
    private final SurfaceLoops.ChunkSum chunkSum;

    CpuSurfaceTiles(Loss loss, SurfacePlane plane, ForkJoinPool pool) {
        this(loss, plane, pool, SurfaceLoopsChoice.loops());
    }

    CpuSurfaceTiles(Loss loss, SurfacePlane plane, ForkJoinPool pool, SurfaceLoops loops) {
        this.plane = plane.floats();
        this.pool = pool;
        this.loops = loops;
        this.chunkSum = loops.chunkSum(loss);
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

    /** out[at + c] = mean_i term(du[c0 + c] p_i + m_i), m_i = dv q_i - t_i, for c in [0, width) */
    private void block(float dv, int c0, int width, float[] out, int at) {
        float[] t = plane.t();
        float[] p = plane.p();
        float[] q = plane.q();
        int n = t.length;
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = dv * q[i] - t[i];
        }
        int group = loops.group(width);
        int padded = (width + group - 1) / group * group;
        float[] du = new float[padded];
        System.arraycopy(plane.du(), c0, du, 0, width);
        float[] chunk = new float[padded];
        float[] high = new float[padded];
        float[] low = new float[padded];
        for (int i0 = 0; i0 < n; i0 += CHUNK) {
            int i1 = Math.min(n, i0 + CHUNK);
            for (int c = 0; c < padded; c += group) {
                chunkSum.sum(m, p, i0, i1, du, c, chunk);
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
}
