package org.lossgrid.backend.cpu;

import java.util.Arrays;

import org.lossgrid.loss.Loss;

/**
 * The surface loops in plain Java, which C2 auto-vectorises: the block of columns is the innermost loop
 * and the samples stream through it four at a time, so each load and store of {@code acc[c]} is shared by
 * four samples. The quad loop counts by one: C2 (JDK 17 to 25) does not vectorise an inner loop nested in
 * an outer loop of stride four, which costs a factor of ten; with eight samples per pass the MAE loop ran
 * scalar (3.7e9 instead of 2.5e10 evals/s on one AMD EPYC core). The fallback where the vector loops
 * cannot run (see {@link SurfaceLoopsChoice}).
 */
final class ScalarSurfaceLoops implements SurfaceLoops {
    @Override
    public String description() {
        return "scalar loops";
    }

    /** The whole block: the column loop is the one C2 vectorises, so c is always 0. */
    @Override
    public int group(int width) {
        return width;
    }

    @Override
    public ChunkSum chunkSum(Loss loss) {
        return switch (loss.kind()) {
            case MAE -> (m, p, i0, i1, du, c, acc) -> mae(m, p, du, acc, i0, i1);
            case MSE -> (m, p, i0, i1, du, c, acc) -> mse(m, p, du, acc, i0, i1);
            case HUBER -> {
                float delta = loss.kernelParameter();
                yield (m, p, i0, i1, du, c, acc) -> huber(m, p, du, delta, acc, i0, i1);
            }
        };
    }

    /** acc[c] = sum_{i in [i0, i1)} |du[c] p_i + m_i| */
    private static void mae(float[] m, float[] p, float[] du, float[] acc, int i0, int i1) {
        int width = du.length;
        Arrays.fill(acc, 0f);
        int quads = (i1 - i0) / 4;
        for (int s = 0; s < quads; s++) {
            int i = i0 + 4 * s;
            float p0 = p[i];
            float p1 = p[i + 1];
            float p2 = p[i + 2];
            float p3 = p[i + 3];
            float m0 = m[i];
            float m1 = m[i + 1];
            float m2 = m[i + 2];
            float m3 = m[i + 3];
            for (int c = 0; c < width; c++) {
                float u = du[c];
                acc[c] += Math.abs(Math.fma(u, p0, m0)) + Math.abs(Math.fma(u, p1, m1))
                        + Math.abs(Math.fma(u, p2, m2)) + Math.abs(Math.fma(u, p3, m3));
            }
        }
        for (int i = i0 + 4 * quads; i < i1; i++) {
            float pi = p[i];
            float mi = m[i];
            for (int c = 0; c < width; c++) {
                acc[c] += Math.abs(Math.fma(du[c], pi, mi));
            }
        }
    }

    /** acc[c] = sum_{i in [i0, i1)} (du[c] p_i + m_i)^2 */
    private static void mse(float[] m, float[] p, float[] du, float[] acc, int i0, int i1) {
        int width = du.length;
        Arrays.fill(acc, 0f);
        int quads = (i1 - i0) / 4;
        for (int s = 0; s < quads; s++) {
            int i = i0 + 4 * s;
            float p0 = p[i];
            float p1 = p[i + 1];
            float p2 = p[i + 2];
            float p3 = p[i + 3];
            float m0 = m[i];
            float m1 = m[i + 1];
            float m2 = m[i + 2];
            float m3 = m[i + 3];
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
            float mi = m[i];
            for (int c = 0; c < width; c++) {
                float e = Math.fma(du[c], pi, mi);
                acc[c] += e * e;
            }
        }
    }

    /**
     * acc[c] = sum_{i in [i0, i1)} huber(du[c] p_i + m_i), huber(e) = a (|e| - a/2) with a = min(|e|, delta):
     * e^2/2 within delta, delta (|e| - delta/2) beyond, as in loss_math.h. C2 vectorises this form (1.1e10
     * evals/s on 2 AMD EPYC cores, a third of the MAE loop); writing the min with abs
     * ((x + delta - |x - delta|) / 2) made it scalar, eight times slower.
     */
    private static void huber(float[] m, float[] p, float[] du, float delta, float[] acc, int i0, int i1) {
        int width = du.length;
        Arrays.fill(acc, 0f);
        int quads = (i1 - i0) / 4;
        for (int s = 0; s < quads; s++) {
            int i = i0 + 4 * s;
            float p0 = p[i];
            float p1 = p[i + 1];
            float p2 = p[i + 2];
            float p3 = p[i + 3];
            float m0 = m[i];
            float m1 = m[i + 1];
            float m2 = m[i + 2];
            float m3 = m[i + 3];
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
            float mi = m[i];
            for (int c = 0; c < width; c++) {
                float x = Math.abs(Math.fma(du[c], pi, mi));
                float a = Math.min(x, delta);
                acc[c] += a * (x - 0.5f * a);
            }
        }
    }
}
