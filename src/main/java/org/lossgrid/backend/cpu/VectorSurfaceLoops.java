package org.lossgrid.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.lossgrid.loss.Loss;

/**
 * The surface loops on jdk.incubator.vector, in the preferred species (16 floats with AVX-512). A group of
 * four vectors of columns keeps its {@code du} values and its four accumulators in registers while the
 * chunk's samples stream through it, so a sample costs two broadcasts and, per vector, only the loss's
 * arithmetic (MAE: fma, abs, add; MSE: two fmas). The auto-vectorised {@link ScalarSurfaceLoops}, like gcc's
 * loop for benchmarks/native/surface.c, instead reload {@code du} and load and store {@code acc[c]} every
 * four samples.
 *
 * <p>Shape, measured on one AMD EPYC core with JDK 17: two samples per pass, because C2 unrolls a
 * one-sample loop and its scheduler then hoists the broadcasts of the unrolled copies, which spills the
 * accumulators to the stack (1.5e10 instead of 3.6e10 evals/s); the two-sample body is above C2's unrolling
 * limit (JDK 25 still unrolls the MSE loop and spills, and runs it about 7 % slower). Four vectors: eight
 * ran no faster with AVX-512's 32 registers. On JDK 25 the MAE loop is a quarter slower (7.2e10 against
 * 1.0e11 evals/s on 2 cores): C2 puts abs's 64-byte sign mask on a 32-byte boundary, so each of its eight
 * and-with-memory per pass splits a cache line; a mask held in a register (an IntVector and) ran at 9.6e10
 * there but ten times slower on JDK 17, which boxes the reinterpreting casts. Only
 * {@link SurfaceLoopsChoice} refers to this class, by name, so nothing else links against the incubator
 * module.
 */
final class VectorSurfaceLoops implements SurfaceLoops {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Columns per group: four vectors. */
    private static final int GROUP = 4 * LANES;

    /** The width of the preferred species, in bits. */
    static int preferredBits() {
        return SPECIES.vectorBitSize();
    }

    @Override
    public String description() {
        return preferredBits() + "-bit vector loops";
    }

    @Override
    public int group(int width) {
        return GROUP;
    }

    @Override
    public ChunkSum chunkSum(Loss loss) {
        return switch (loss.kind()) {
            case MAE -> VectorSurfaceLoops::mae;
            case MSE -> VectorSurfaceLoops::mse;
            case HUBER -> {
                float delta = loss.kernelParameter();
                yield (m, p, i0, i1, du, c, acc) -> huber(m, p, i0, i1, du, c, delta, acc);
            }
        };
    }

    /** acc[c + k] = sum_{i in [i0, i1)} |du[c + k] p_i + m_i| for k in [0, GROUP) */
    private static void mae(float[] m, float[] p, int i0, int i1, float[] du, int c, float[] acc) {
        FloatVector u0 = FloatVector.fromArray(SPECIES, du, c);
        FloatVector u1 = FloatVector.fromArray(SPECIES, du, c + LANES);
        FloatVector u2 = FloatVector.fromArray(SPECIES, du, c + 2 * LANES);
        FloatVector u3 = FloatVector.fromArray(SPECIES, du, c + 3 * LANES);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int pairs = (i1 - i0) / 2;
        for (int s = 0; s < pairs; s++) {
            int i = i0 + 2 * s;
            FloatVector p0 = FloatVector.broadcast(SPECIES, p[i]);
            FloatVector m0 = FloatVector.broadcast(SPECIES, m[i]);
            FloatVector p1 = FloatVector.broadcast(SPECIES, p[i + 1]);
            FloatVector m1 = FloatVector.broadcast(SPECIES, m[i + 1]);
            a0 = a0.add(u0.fma(p0, m0).abs()).add(u0.fma(p1, m1).abs());
            a1 = a1.add(u1.fma(p0, m0).abs()).add(u1.fma(p1, m1).abs());
            a2 = a2.add(u2.fma(p0, m0).abs()).add(u2.fma(p1, m1).abs());
            a3 = a3.add(u3.fma(p0, m0).abs()).add(u3.fma(p1, m1).abs());
        }
        if ((i1 - i0) % 2 != 0) {
            FloatVector pl = FloatVector.broadcast(SPECIES, p[i1 - 1]);
            FloatVector ml = FloatVector.broadcast(SPECIES, m[i1 - 1]);
            a0 = a0.add(u0.fma(pl, ml).abs());
            a1 = a1.add(u1.fma(pl, ml).abs());
            a2 = a2.add(u2.fma(pl, ml).abs());
            a3 = a3.add(u3.fma(pl, ml).abs());
        }
        a0.intoArray(acc, c);
        a1.intoArray(acc, c + LANES);
        a2.intoArray(acc, c + 2 * LANES);
        a3.intoArray(acc, c + 3 * LANES);
    }

    /** acc[c + k] = sum_{i in [i0, i1)} (du[c + k] p_i + m_i)^2 for k in [0, GROUP), each square fused into its sum */
    private static void mse(float[] m, float[] p, int i0, int i1, float[] du, int c, float[] acc) {
        FloatVector u0 = FloatVector.fromArray(SPECIES, du, c);
        FloatVector u1 = FloatVector.fromArray(SPECIES, du, c + LANES);
        FloatVector u2 = FloatVector.fromArray(SPECIES, du, c + 2 * LANES);
        FloatVector u3 = FloatVector.fromArray(SPECIES, du, c + 3 * LANES);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int pairs = (i1 - i0) / 2;
        for (int s = 0; s < pairs; s++) {
            int i = i0 + 2 * s;
            FloatVector p0 = FloatVector.broadcast(SPECIES, p[i]);
            FloatVector m0 = FloatVector.broadcast(SPECIES, m[i]);
            FloatVector p1 = FloatVector.broadcast(SPECIES, p[i + 1]);
            FloatVector m1 = FloatVector.broadcast(SPECIES, m[i + 1]);
            FloatVector e00 = u0.fma(p0, m0);
            FloatVector e10 = u1.fma(p0, m0);
            FloatVector e20 = u2.fma(p0, m0);
            FloatVector e30 = u3.fma(p0, m0);
            a0 = e00.fma(e00, a0);
            a1 = e10.fma(e10, a1);
            a2 = e20.fma(e20, a2);
            a3 = e30.fma(e30, a3);
            FloatVector e01 = u0.fma(p1, m1);
            FloatVector e11 = u1.fma(p1, m1);
            FloatVector e21 = u2.fma(p1, m1);
            FloatVector e31 = u3.fma(p1, m1);
            a0 = e01.fma(e01, a0);
            a1 = e11.fma(e11, a1);
            a2 = e21.fma(e21, a2);
            a3 = e31.fma(e31, a3);
        }
        if ((i1 - i0) % 2 != 0) {
            FloatVector pl = FloatVector.broadcast(SPECIES, p[i1 - 1]);
            FloatVector ml = FloatVector.broadcast(SPECIES, m[i1 - 1]);
            FloatVector e0 = u0.fma(pl, ml);
            FloatVector e1 = u1.fma(pl, ml);
            FloatVector e2 = u2.fma(pl, ml);
            FloatVector e3 = u3.fma(pl, ml);
            a0 = e0.fma(e0, a0);
            a1 = e1.fma(e1, a1);
            a2 = e2.fma(e2, a2);
            a3 = e3.fma(e3, a3);
        }
        a0.intoArray(acc, c);
        a1.intoArray(acc, c + LANES);
        a2.intoArray(acc, c + 2 * LANES);
        a3.intoArray(acc, c + 3 * LANES);
    }

    /**
     * acc[c + k] = sum_{i in [i0, i1)} huber(du[c + k] p_i + m_i) for k in [0, GROUP), huber(e) = a (|e| - a/2)
     * with a = min(|e|, delta), as in loss_math.h, the product fused into the sum.
     */
    private static void huber(float[] m, float[] p, int i0, int i1, float[] du, int c, float delta, float[] acc) {
        FloatVector u0 = FloatVector.fromArray(SPECIES, du, c);
        FloatVector u1 = FloatVector.fromArray(SPECIES, du, c + LANES);
        FloatVector u2 = FloatVector.fromArray(SPECIES, du, c + 2 * LANES);
        FloatVector u3 = FloatVector.fromArray(SPECIES, du, c + 3 * LANES);
        FloatVector d = FloatVector.broadcast(SPECIES, delta);
        FloatVector minusHalf = FloatVector.broadcast(SPECIES, -0.5f);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int pairs = (i1 - i0) / 2;
        for (int s = 0; s < pairs; s++) {
            int i = i0 + 2 * s;
            FloatVector p0 = FloatVector.broadcast(SPECIES, p[i]);
            FloatVector m0 = FloatVector.broadcast(SPECIES, m[i]);
            FloatVector p1 = FloatVector.broadcast(SPECIES, p[i + 1]);
            FloatVector m1 = FloatVector.broadcast(SPECIES, m[i + 1]);
            a0 = huberAdd(huberAdd(a0, u0.fma(p0, m0), d, minusHalf), u0.fma(p1, m1), d, minusHalf);
            a1 = huberAdd(huberAdd(a1, u1.fma(p0, m0), d, minusHalf), u1.fma(p1, m1), d, minusHalf);
            a2 = huberAdd(huberAdd(a2, u2.fma(p0, m0), d, minusHalf), u2.fma(p1, m1), d, minusHalf);
            a3 = huberAdd(huberAdd(a3, u3.fma(p0, m0), d, minusHalf), u3.fma(p1, m1), d, minusHalf);
        }
        if ((i1 - i0) % 2 != 0) {
            FloatVector pl = FloatVector.broadcast(SPECIES, p[i1 - 1]);
            FloatVector ml = FloatVector.broadcast(SPECIES, m[i1 - 1]);
            a0 = huberAdd(a0, u0.fma(pl, ml), d, minusHalf);
            a1 = huberAdd(a1, u1.fma(pl, ml), d, minusHalf);
            a2 = huberAdd(a2, u2.fma(pl, ml), d, minusHalf);
            a3 = huberAdd(a3, u3.fma(pl, ml), d, minusHalf);
        }
        a0.intoArray(acc, c);
        a1.intoArray(acc, c + LANES);
        a2.intoArray(acc, c + 2 * LANES);
        a3.intoArray(acc, c + 3 * LANES);
    }

    /**
     * sum + a (x - a/2) with x = |e|, a = min(x, delta). The caller broadcasts delta and -1/2 once, before its
     * loop: broadcasting them here, or reading -1/2 from a static final vector, made the loop 3 to 15 times
     * slower (2e9 to 1e10 instead of 3.3e10 evals/s on 2 AMD EPYC cores, JDK 17).
     */
    private static FloatVector huberAdd(FloatVector sum, FloatVector e, FloatVector delta, FloatVector minusHalf) {
        FloatVector x = e.abs();
        FloatVector a = x.min(delta);
        return a.fma(a.fma(minusHalf, x), sum);
    }
}
