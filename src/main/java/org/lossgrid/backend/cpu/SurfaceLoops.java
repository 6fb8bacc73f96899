package org.lossgrid.backend.cpu;

import org.lossgrid.loss.Loss;

/**
 * The innermost loops of the brute-force surface: one chunk of samples over one group of columns of one
 * row. With {@code m_i = dv q_i - t_i} for the row, {@code du[c] p_i + m_i} is minus the residual of
 * column c, and every loss here is even. {@link CpuSurfaceTiles} loops over the chunks and groups and calls
 * the loss's {@link ChunkSum} directly, with no dispatching method in between whose compilation the kernels'
 * speed would hang on (with a per-chunk switch over the loss left to the interpreter, they ran three times
 * slower). Two implementations: {@link ScalarSurfaceLoops}, always present, and {@code VectorSurfaceLoops} on
 * jdk.incubator.vector, which only {@link SurfaceLoopsChoice} loads, by name.
 */
interface SurfaceLoops {
    /** What runs, for the device details: "scalar loops" or "512-bit vector loops". */
    String description();

    /** Columns per call of a ChunkSum in a block of {@code width}; the caller pads the block to a multiple. */
    int group(int width);

    /** The kernel for {@code loss}. */
    ChunkSum chunkSum(Loss loss);

    /** One chunk of samples over one group of columns. */
    @FunctionalInterface
    interface ChunkSum {
        /** acc[c + k] = sum_{i in [i0, i1)} term(du[c + k] p_i + m_i) for k in [0, group) */
        void sum(float[] m, float[] p, int i0, int i1, float[] du, int c, float[] acc);
    }
}
