package org.lossgrid.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossgrid.TestData;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.SampleChannel;
import org.lossgrid.data.Series;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;
import org.lossgrid.reference.ReferenceSurface;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.util.Progress;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.Surface;
import org.lossgrid.surface.SurfaceEvaluator;

/**
 * The backend contract (DESIGN.md sections 2 and 4), once for every backend: each subclass opens its
 * backend and says what it should be. Every operation is compared with the double-precision
 * reference on the float32-rounded data at awkward sizes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
    static final double LOSS_RELATIVE = 1e-5;
    static final double GRADIENT_RELATIVE = 1e-4;
    static final double GRADIENT_ABSOLUTE = 1e-6;
    static final int[] SIZES = {1, 7, 1000, 1461, 100003};

    private Backend backend;

    /** Opens the backend under test, or skips the class with the probe's reason. */
    protected abstract Backend open();

    /** The name the backend must report. */
    protected abstract String expectedName();

    /** The backend, opened on first use, so that an unavailable one skips each test with the probe's reason. */
    private Backend backend() {
        if (backend == null) {
            backend = open();
        }
        return backend;
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(SIZES).flatMapToInt(java.util.Arrays::stream).boxed().flatMap(n ->
                Stream.of(1, 3).flatMap(k -> TestData.LOSSES.stream().map(loss -> Arguments.of(n, k, loss))));
    }

    @Test
    void theBackendIsTheOneUnderTest() {
        assertEquals(expectedName(), backend().name());
        assertTrue(backend().device().name() != null && !backend().device().name().isBlank());
    }

    @ParameterizedTest(name = "n={0} k={1} {2}")
    @MethodSource("cases")
    void lossAndGradientMatchTheReference(int n, int k, Loss loss) {
        Dataset data = TestData.random(n * 31L + k, n, k);
        Dataset rounded = data.roundedToFloat();
        try (DeviceDataset device = backend().upload(data)) {
            for (Params params : List.of(nearOptimum(k), farFromOptimum(k))) {
                LossGradient expected = Reference.lossAndGradient(loss, rounded, params);
                LossGradient actual = device.lossAndGradient(loss, params);
                assertRelative(expected.loss(), actual.loss(), LOSS_RELATIVE, "loss " + params);
                assertRelative(expected.loss(), device.loss(loss, params), LOSS_RELATIVE, "loss() " + params);
                assertGradient(expected, actual, loss, rounded, params, params.toString());
            }
        }
    }

    @ParameterizedTest(name = "n={0} k={1} {2}")
    @MethodSource("cases")
    void batchedGradientsMatchTheReference(int n, int k, Loss loss) {
        Dataset data = TestData.random(n * 17L + k, n, k);
        Dataset rounded = data.roundedToFloat();
        Params[] batch = new Params[5];
        for (int s = 0; s < batch.length; s++) {
            batch[s] = nearOptimum(k).with(0, 150 + 40 * s);
        }
        try (DeviceDataset device = backend().upload(data)) {
            LossGradient[] results = device.lossAndGradientBatch(loss, batch);
            assertEquals(batch.length, results.length);
            for (int s = 0; s < batch.length; s++) {
                LossGradient expected = Reference.lossAndGradient(loss, rounded, batch[s]);
                assertRelative(expected.loss(), results[s].loss(), LOSS_RELATIVE, "batch " + s);
                assertGradient(expected, results[s], loss, rounded, batch[s], "batch " + s);
            }
        }
    }

    @ParameterizedTest(name = "n={0} k={1} {2}")
    @MethodSource("cases")
    void surfacesMatchTheReference(int n, int k, Loss loss) {
        Dataset data = TestData.random(n * 7L + k, n, k);
        Slice slice = Slice.wb(nearOptimum(k));
        GridSpec grid = new GridSpec(new Axis(0.2 / k, 1.7 / k, 13), new Axis(-900, 1300, 7));
        assertSurface(data, loss, slice, grid);
    }

    @Test
    void wideSurfacesOfOtherSlicesMatchTheReference() {
        Dataset data = TestData.random(99, 1461, 3);
        Slice slice = new Slice(2, 3, nearOptimum(3));
        GridSpec grid = new GridSpec(new Axis(-0.2, 0.9, 1031), new Axis(0.1, 0.5, 3));
        for (Loss loss : TestData.LOSSES) {
            assertSurface(data, loss, slice, grid);
        }
    }

    @Test
    void theSampleChannelSurfaceMatchesTheReference() {
        Dataset data = SampleChannel.bundled().lagFeatures(1, Series.DEFAULT_TRAIN_UNTIL).train();
        GridSpec grid = new GridSpec(new Axis(0.6, 1.3, 9), new Axis(-1300, 1700, 11));
        for (Loss loss : TestData.LOSSES) {
            assertSurface(data, loss, Slice.wb(Params.zeros(1)), grid);
        }
    }

    @Test
    void aMillionEqualTermsSumWithoutDrift() {
        // 4096 chunks of 256 terms near 0.1: adding the chunk sums in plain float drifts by about 4e-5
        // relative; the backends' compensated totals must not
        int n = 1 << 20;
        double[] y = new double[n];
        java.util.Arrays.fill(y, 0.1);
        Dataset data = new Dataset("equal terms", List.of("x"), new double[][] {new double[n]}, y);
        GridSpec grid = new GridSpec(new Axis(-1, 1, 3), new Axis(-0.05, 0.05, 3));
        for (Loss loss : TestData.LOSSES) {
            assertSurface(data, loss, Slice.wb(Params.zeros(1)), grid);
        }
    }

    private void assertSurface(Dataset data, Loss loss, Slice slice, GridSpec grid) {
        Dataset rounded = data.roundedToFloat();
        double[] expected = ReferenceSurface.surface(loss, rounded, slice, grid);
        try (DeviceDataset device = backend().upload(data);
             SurfaceTiles tiles = device.surface(loss, slice.plane(data, grid))) {
            Surface surface = new SurfaceEvaluator(1 << 24, Progress.NONE)
                    .inMemory(tiles, "brute", grid, slice, data.n(), List.of());
            for (int i = 0; i < expected.length; i++) {
                Params at = slice.point(grid.horizontal().value(i % grid.columns()), grid.vertical().value(i / grid.columns()));
                double tolerance = LOSS_RELATIVE * expected[i] + float32Allowance(loss, rounded, at);
                double error = Math.abs(surface.values()[i] - expected[i]);
                assertTrue(error <= tolerance, "surface point " + i + " at " + at + ": expected " + expected[i]
                        + ", got " + surface.values()[i] + ", error " + error + " > " + tolerance);
            }
        }
    }

    /**
     * The forward error of float32 residuals, which the accumulation order cannot remove: each term's
     * inputs are rounded to float32, so {@code |de_i| <= 4 eps32 (|y_i| + |b| + sum_j |w_j x_ji|)} and
     * {@code |dL| <= mean_i |slope(e_i)| |de_i|}. It matters only where a residual nearly cancels, as
     * for a single sample lying almost on the line; over many samples it is far below 1e-5 relative.
     */
    static double float32Allowance(Loss loss, Dataset data, Params params) {
        double eps = Math.ulp(1f);
        double sum = 0;
        for (int i = 0; i < data.n(); i++) {
            double magnitude = Math.abs(data.y(i)) + Math.abs(params.b());
            for (int j = 0; j < data.k(); j++) {
                magnitude += Math.abs(params.w(j) * data.x(j, i));
            }
            double e = data.y(i) - params.predict(data.row(i));
            double slope = Math.abs(loss.slope(e)) + (loss instanceof Loss.Mse ? 4 * eps * magnitude : 0);
            sum += slope * 4 * eps * magnitude;
        }
        return sum / data.n();
    }

    private static Params nearOptimum(int k) {
        double[] w = new double[k];
        java.util.Arrays.fill(w, 0.9 / k);
        return new Params(150, w);
    }

    private static Params farFromOptimum(int k) {
        double[] w = new double[k];
        java.util.Arrays.fill(w, -0.3);
        return new Params(-2500, w);
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        double error = Math.abs(actual - expected);
        assertTrue(error <= tolerance * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (relative error " + error / Math.abs(expected) + ")");
    }

    /**
     * Each component within 1e-4 relative or 1e-6 absolute of the reference, plus the statistical forward
     * error of float32 residuals: a residual's rounding error is at most 4 eps32 m_i, m_i = |y_i| + |b| +
     * sum_j |w_j x_ji|, which moves a smooth loss's slope by curvature times that; over n independent
     * roundings, the mean's error is about their root sum of squares over n. It matters only where the
     * gradient cancels to far below its terms (Huber near its optimum); for MAE the curvature is 0.
     */
    private static void assertGradient(LossGradient expected, LossGradient actual, Loss loss, Dataset rounded, Params at,
            String what) {
        for (int g = 0; g < expected.gradient().length; g++) {
            double e = expected.gradient(g);
            double a = actual.gradient(g);
            double error = Math.abs(a - e);
            double squares = 0;
            for (int i = 0; i < rounded.n(); i++) {
                double magnitude = Math.abs(rounded.y(i)) + Math.abs(at.b());
                for (int j = 0; j < rounded.k(); j++) {
                    magnitude += Math.abs(at.w(j) * rounded.x(j, i));
                }
                double term = 4 * Math.ulp(1f) * loss.curvature() * magnitude * (g == 0 ? 1 : Math.abs(rounded.x(g - 1, i)));
                squares += term * term;
            }
            double allowance = Math.sqrt(squares) / rounded.n();
            assertTrue(error <= GRADIENT_ABSOLUTE + allowance || error <= GRADIENT_RELATIVE * Math.abs(e) + allowance,
                    what + ": gradient " + g + " expected " + e + ", got " + a + " (float32 allowance " + allowance + ")");
        }
    }
}
