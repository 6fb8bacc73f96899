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
 * <p>Loop order (DESIGN.md section 8): a block of columns of one row is the inner, vectorised dimension and
 * the samples stream through it; the innermost loops are the loss's {@link SurfaceLoops.ChunkSum}, vector
 * or scalar (see {@link SurfaceLoopsChoice}). Accumulators are float32 within a chunk of {@value #CHUNK}
 * samples and are then added into a compensated float pair, as in the kernels, which bounds the rounding
 * error by about {@code CHUNK * eps} instead of {@code N * eps}. The (row, column block) pairs are split
 * into {@value #TASKS_PER_THREAD} contiguous runs per thread of the backend's pool.
 */
final class CpuSurfaceTiles implements SurfaceTiles {
    /** Columns per work item: the block and its accumulators stay in L1. */
    static final int BLOCK = 512;
    /** Samples summed in float32 before the partial sum is added into the compensated total. */
    static final int CHUNK = 256;
    /** Parallel tasks per pool thread: enough to even out the threads, few enough that buffers are reused. */
    static final int TASKS_PER_THREAD = 8;

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
        long items = (long) rows * blocks;
        int tasks = (int) Math.min(items, TASKS_PER_THREAD * pool.getParallelism());
        Runnable all = () -> IntStream.range(0, tasks).parallel().forEach(task -> {
            float[] m = new float[plane.t().length];
            Buffers full = new Buffers(padded(BLOCK));
            Buffers tail = columns % BLOCK == 0 ? full : new Buffers(padded(columns % BLOCK));
            int row = -1;
            for (long item = items * task / tasks; item < items * (task + 1) / tasks; item++) {
                int r = (int) (item / blocks);
                int c0 = (int) (item % blocks) * BLOCK;
                int width = Math.min(BLOCK, columns - c0);
                if (r != row) {
                    row = r;
                    residualOffsets(plane.dv()[row0 + r], m);
                }
                block(m, c0, width, width == BLOCK ? full : tail, out, r * columns + c0);
            }
        });
        pool.submit(all).join();
    }

    /** m_i = dv q_i - t_i, so that du[c] p_i + m_i is minus the residual at (row, column c) */
    private void residualOffsets(float dv, float[] m) {
        float[] t = plane.t();
        float[] q = plane.q();
        for (int i = 0; i < m.length; i++) {
            m[i] = dv * q[i] - t[i];
        }
    }

    /** out[at + c] = mean_i term(du[c0 + c] p_i + m_i) for c in [0, width) */
    private void block(float[] m, int c0, int width, Buffers buffers, float[] out, int at) {
        int n = m.length;
        float[] du = buffers.du();
        float[] chunk = buffers.chunk();
        float[] high = buffers.high();
        float[] low = buffers.low();
        System.arraycopy(plane.du(), c0, du, 0, width);
        Arrays.fill(high, 0f);
        Arrays.fill(low, 0f);
        int group = loops.group(width);
        for (int i0 = 0; i0 < n; i0 += CHUNK) {
            int i1 = Math.min(n, i0 + CHUNK);
            for (int c = 0; c < du.length; c += group) {
                chunkSum.sum(m, plane.p(), i0, i1, du, c, chunk);
            }
            addCompensated(high, low, chunk);
        }
        for (int c = 0; c < width; c++) {
            out[at + c] = (float) (((double) high[c] + low[c]) / n);
        }
    }

    /** width rounded up to a multiple of the loops' group */
    private int padded(int width) {
        int group = loops.group(width);
        return (width + group - 1) / group * group;
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

    /**
     * The column buffers of one block width, which a task reuses for every block of that width: a task
     * allocates its buffers once, not per block. Per-block buffers and residual offsets cost about 28 MB per
     * 1024 x 1024 surface, and a JVM whose heap was still growing paid for first touching that memory: the
     * bench's MSE surface ran four times slower (2.5e10 instead of 1e11 evals/s on 2 AMD EPYC cores) until
     * the heap was pre-touched. Only the first width columns of du are ever written, so its padding stays zero.
     */
    private record Buffers(float[] du, float[] chunk, float[] high, float[] low) {
        Buffers(int columns) {
            this(new float[columns], new float[columns], new float[columns], new float[columns]);
        }
    }
}
