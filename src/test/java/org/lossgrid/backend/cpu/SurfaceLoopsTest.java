package org.lossgrid.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.lossgrid.TestData;
import org.lossgrid.backend.SurfacePlane;
import org.lossgrid.backend.cpu.SurfaceLoopsChoice.Reason;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.ReferenceSurface;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;

/**
 * The vector surface loops against the scalar loops and the double reference at awkward sizes (columns
 * around the vector and group widths and across blocks, odd sample counts and a partial last chunk, tasks
 * that reuse their buffers), and the choice between them.
 */
class SurfaceLoopsTest {
    private static final int[] COLUMNS = {1, 3, 7, 8, 15, 16, 17, 31, 33, 1031};
    /** Enough rows that each parallel task runs several blocks, full and partial, over several rows. */
    private static final int ROWS = 37;
    /** The contract's bound on a loss relative to the double reference (DESIGN.md section 4). */
    private static final double LOSS_RELATIVE = 1e-5;
    private static final ForkJoinPool POOL = new ForkJoinPool(2);

    @AfterAll
    static void closePool() {
        POOL.shutdownNow();
    }

    static Stream<Arguments> cases() {
        return TestData.LOSSES.stream().flatMap(loss -> Stream.of(1, 7, 1461).map(n -> Arguments.of(loss, n)));
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void vectorAndScalarLoopsMatchTheReferenceAndEachOther(Loss loss, int n) {
        assumeTrue(SurfaceLoopsChoice.moduleLoaded(), "the JVM has no jdk.incubator.vector module");
        SurfaceLoops vector = SurfaceLoopsChoice.vectorLoops();
        SurfaceLoops scalar = new ScalarSurfaceLoops();
        Dataset data = TestData.random(31L * n, n, 1);
        Slice slice = Slice.wb(new Params(150, new double[] {0.9}));
        for (int columns : COLUMNS) {
            GridSpec grid = new GridSpec(columns == 1 ? new Axis(0.8, 0.8, 1) : new Axis(0.3, 1.6, columns),
                    new Axis(-800, 1200, ROWS));
            SurfacePlane plane = slice.plane(data, grid);
            double[] expected = ReferenceSurface.surface(loss, data.roundedToFloat(), slice, grid);
            float[] fromVector = surface(vector, loss, plane);
            float[] fromScalar = surface(scalar, loss, plane);
            for (int point = 0; point < expected.length; point++) {
                int r = point / columns;
                int c = point % columns;
                double tolerance = LOSS_RELATIVE * expected[point] + float32Allowance(loss, plane, r, c);
                String where = columns + " columns, point (" + r + ", " + c + "): ";
                String values = where + "vector " + fromVector[point] + ", scalar " + fromScalar[point] + ", reference "
                        + expected[point] + ", tolerance " + tolerance;
                assertTrue(Math.abs(fromVector[point] - expected[point]) <= tolerance, values);
                assertTrue(Math.abs(fromScalar[point] - expected[point]) <= tolerance, values);
                assertTrue(Math.abs(fromVector[point] - fromScalar[point]) <= tolerance, values);
            }
        }
    }

    @Test
    void withoutTheModuleTheScalarLoopsRunAndNothingElseIsAsked() {
        SurfaceLoopsChoice choice = SurfaceLoopsChoice.decide(false, SurfaceLoopsTest::mustNotBeChecked,
                SurfaceLoopsTest::mustNotBeChecked, SurfaceLoopsTest::mustNotBeAsked);
        assertEquals(Reason.NO_MODULE, choice.reason());
        assertFalse(choice.vectorised());
        assertEquals("scalar", choice.implementation());
    }

    @Test
    void eachMissingConditionIsTheReasonForTheScalarLoops() {
        SurfaceLoopsChoice noC2 = SurfaceLoopsChoice.decide(true, () -> false, () -> true, SurfaceLoopsTest::mustNotBeAsked);
        assertEquals(Reason.NO_C2, noC2.reason());
        SurfaceLoopsChoice noFma = SurfaceLoopsChoice.decide(true, () -> true, () -> false, SurfaceLoopsTest::mustNotBeAsked);
        assertEquals(Reason.NO_FMA, noFma.reason());
        for (int bits : new int[] {128, 256}) {
            SurfaceLoopsChoice narrow = SurfaceLoopsChoice.decide(true, () -> true, () -> true, () -> bits);
            assertEquals(Reason.NARROW_VECTORS, narrow.reason());
            assertEquals(bits, narrow.vectorBits());
        }
        for (int bits : new int[] {512, 1024}) {
            SurfaceLoopsChoice wide = SurfaceLoopsChoice.decide(true, () -> true, () -> true, () -> bits);
            assertEquals(Reason.VECTOR, wide.reason());
            assertEquals("vector", wide.implementation());
            assertEquals(bits, wide.vectorBits());
        }
    }

    @Test
    void thisJvmRunsTheLoopsItChose() {
        SurfaceLoopsChoice choice = SurfaceLoopsChoice.current();
        assertEquals(choice.vectorised() ? "VectorSurfaceLoops" : "ScalarSurfaceLoops",
                SurfaceLoopsChoice.loops().getClass().getSimpleName());
        if (!SurfaceLoopsChoice.moduleLoaded()) {
            assertEquals(Reason.NO_MODULE, choice.reason());
        }
        try (CpuBackend backend = new CpuBackend(1)) {
            assertTrue(backend.device().details().endsWith(SurfaceLoopsChoice.loops().description()));
        }
    }

    private static boolean mustNotBeChecked() {
        return fail("the JIT was asked about, which starts HotSpot's diagnostic bean");
    }

    private static int mustNotBeAsked() {
        return fail("the vector width was asked for, which loads the vector class");
    }

    private static float[] surface(SurfaceLoops loops, Loss loss, SurfacePlane plane) {
        float[] out = new float[plane.rows() * plane.columns()];
        try (CpuSurfaceTiles tiles = new CpuSurfaceTiles(loss, plane, POOL, loops)) {
            tiles.computeRows(0, plane.rows(), out);
        }
        return out;
    }

    /**
     * The forward error of float32 residuals at grid point (r, c): each of t_i, du_c p_i and dv_r q_i is
     * rounded, so |de_i| <= 4 eps32 (|t_i| + |du_c p_i| + |dv_r q_i|) and |dL| <= mean_i slope_i |de_i|, with
     * slope 1 for MAE, 2 |e| + |de| for MSE, min(|e| + |de|, delta) for Huber.
     */
    private static double float32Allowance(Loss loss, SurfacePlane plane, int r, int c) {
        double sum = 0;
        for (int i = 0; i < plane.samples(); i++) {
            double du = plane.du()[c] * plane.p()[i];
            double dv = plane.dv()[r] * plane.q()[i];
            double e = Math.abs(plane.t()[i] - du - dv);
            double de = 4 * Math.ulp(1f) * (Math.abs(plane.t()[i]) + Math.abs(du) + Math.abs(dv));
            double slope = switch (loss.kind()) {
                case MAE -> 1;
                case MSE -> 2 * e + de;
                case HUBER -> Math.min(e + de, loss.parameter());
            };
            sum += slope * de;
        }
        return sum / plane.samples();
    }
}
