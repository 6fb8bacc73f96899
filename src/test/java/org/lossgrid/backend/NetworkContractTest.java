package org.lossgrid.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.Network;
import org.lossgrid.reference.NetworkReference;

/**
 * The network operations of the backend contract (issue 17; DESIGN.md section 4), once for every
 * backend: loss and gradient on a minibatch, the same for several parameter vectors and minibatches in
 * one call, and the batched losses equal the double-precision
 * {@link NetworkReference} on the float32-rounded data and parameters, within 1e-5 relative for the loss
 * and 1e-4 relative or 1e-6 absolute per gradient component. The reference's own gradient is checked
 * against central finite differences.
 *
 * <p>Finite differences and kinks: MAE's term |e| and ReLU are not differentiable at 0, and a central
 * difference whose step carries a residual or a pre-activation across 0 measures a chord, not the
 * (sub)gradient. The data are built so that no residual is within {@value #CLEARANCE} of 0 at the
 * parameters under test (targets are pushed away from the prediction), which is 10^4 times more than a
 * step of {@value #STEP} can move it; ReLU pre-activations are continuous random values, and a step of
 * {@value #STEP} crosses a kink with probability about 1e-6 per value, so the seeded cases check every
 * component with the same strict tolerance for MAE and MSE.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NetworkContractTest {
    static final double LOSS_RELATIVE = 1e-5;
    static final double GRADIENT_RELATIVE = 1e-4;
    static final double GRADIENT_ABSOLUTE = 1e-6;
    static final double STEP = 1e-6;
    static final double CLEARANCE = 1e-2;
    static final int[] SIZES = {1, 7, 1461};
    static final int[] LAGS = {1, 56};
    static final List<String> SPECS = List.of("sigmoid:1", "sigmoid:3", "relu:1", "relu:3", "relu:3x2", "sigmoid:3x2");
    static final List<Loss> LOSSES = List.of(Loss.MAE, Loss.MSE);

    private Backend backend;

    /** Opens the backend under test, or skips the class with the probe's reason. */
    protected abstract Backend open();

    /** The name the backend must report. */
    protected abstract String expectedName();

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
        List<Arguments> cases = new ArrayList<>();
        for (String spec : SPECS) {
            for (int lags : LAGS) {
                for (int n : SIZES) {
                    for (Loss loss : LOSSES) {
                        cases.add(Arguments.of(spec, lags, n, loss));
                    }
                }
            }
        }
        return cases.stream();
    }

    @Test
    void theBackendIsTheOneUnderTest() {
        assertEquals(expectedName(), backend().name());
    }

    @ParameterizedTest(name = "{0} lags={1} n={2} {3}")
    @MethodSource("cases")
    void minibatchLossAndGradientMatchTheReference(String spec, int lags, int n, Loss loss) {
        Network network = new Network(ModelSpec.parse(spec), lags);
        float[] theta = parameters(network, n * 131L + lags);
        Dataset data = cleared(standardized(n * 7L + lags, n, lags), loss, network, widen(theta)).roundedToFloat();
        int[] rows = minibatch(n, n * 3L + 1);
        try (DeviceDataset device = backend().upload(data)) {
            LossGradient expected = NetworkReference.lossAndGradient(loss, subset(data, rows), network, widen(theta));
            LossGradient actual = device.networkLossAndGradient(loss, network, theta, rows);
            assertClose(expected, actual, network, spec + " " + loss.name());
        }
    }

    @ParameterizedTest(name = "{0} lags={1} n={2} {3}")
    @MethodSource("cases")
    void batchedGradientsMatchTheReference(String spec, int lags, int n, Loss loss) {
        Network network = new Network(ModelSpec.parse(spec), lags);
        Dataset data = standardized(n * 13L + lags, n, lags).roundedToFloat();
        float[][] thetas = new float[3][];
        int[][] rows = new int[3][];
        for (int s = 0; s < thetas.length; s++) {
            thetas[s] = parameters(network, 100L * s + n);
            rows[s] = minibatch(n, 7L * s + n);
        }
        try (DeviceDataset device = backend().upload(data)) {
            LossGradient[] results = device.networkLossAndGradientBatch(loss, network, thetas, rows);
            assertEquals(thetas.length, results.length);
            for (int s = 0; s < thetas.length; s++) {
                LossGradient expected = NetworkReference.lossAndGradient(loss, subset(data, rows[s]), network,
                        widen(thetas[s]));
                assertClose(expected, results[s], network, spec + " " + loss.name() + " set " + s);
            }
        }
    }

    @ParameterizedTest(name = "{0} lags={1} n={2} {3}")
    @MethodSource("cases")
    void batchedLossesMatchTheReference(String spec, int lags, int n, Loss loss) {
        Network network = new Network(ModelSpec.parse(spec), lags);
        Dataset data = standardized(n * 11L + lags, n, lags).roundedToFloat();
        float[][] thetas = new float[3][];
        for (int s = 0; s < thetas.length; s++) {
            thetas[s] = parameters(network, 1000L * s + n);
        }
        try (DeviceDataset device = backend().upload(data)) {
            double[] losses = device.networkLosses(loss, network, thetas);
            assertEquals(thetas.length, losses.length);
            for (int s = 0; s < thetas.length; s++) {
                double expected = NetworkReference.loss(loss, data, network, widen(thetas[s]));
                assertEquals(expected, losses[s], LOSS_RELATIVE * Math.abs(expected), "set " + s);
            }
        }
    }

    @ParameterizedTest(name = "{0} lags={1} n={2} {3}")
    @MethodSource("cases")
    void theReferenceGradientMatchesCentralDifferences(String spec, int lags, int n, Loss loss) {
        Network network = new Network(ModelSpec.parse(spec), lags);
        double[] theta = widen(parameters(network, n * 131L + lags));
        Dataset data = cleared(standardized(n * 7L + lags, n, lags), loss, network, theta);
        LossGradient analytic = NetworkReference.lossAndGradient(loss, data, network, theta);
        assertEquals(NetworkReference.loss(loss, data, network, theta), analytic.loss(), 1e-12 * analytic.loss());
        double[] numeric = new double[theta.length];
        for (int p = 0; p < theta.length; p++) {
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[p] += STEP;
            down[p] -= STEP;
            numeric[p] = (NetworkReference.loss(loss, data, network, up) - NetworkReference.loss(loss, data, network, down))
                    / (2 * STEP);
        }
        assertClose(new LossGradient(analytic.loss(), numeric), analytic, network, spec + " " + loss.name() + " vs FD");
    }

    @ParameterizedTest(name = "{0} lags={1} n={2} {3}")
    @MethodSource("cases")
    void planeLossesMatchTheReference(String spec, int lags, int n, Loss loss) {
        Network network = new Network(ModelSpec.parse(spec), lags);
        Dataset data = standardized(n * 17L + lags, n, lags).roundedToFloat();
        double[] centre = widen(parameters(network, n + 5L));
        double[] d1 = widen(parameters(network, n + 6L));
        double[] d2 = widen(parameters(network, n + 7L));
        double[] alphas = {0, 0.5, -1.25, 2};
        double[] betas = {0, -0.75, 0.3, 1.5};
        try (DeviceDataset device = backend().upload(data)) {
            double[] losses = device.networkPlane(loss, network, centre, d1, d2, alphas, betas);
            for (int p = 0; p < alphas.length; p++) {
                float[] point = Network.planePoint(centre, d1, d2, alphas[p], betas[p], new float[centre.length]);
                double expected = NetworkReference.loss(loss, data, network, widen(point));
                assertEquals(expected, losses[p], LOSS_RELATIVE * Math.abs(expected), spec + " point " + p);
            }
        }
    }

    @Test
    void setsWithMinibatchesOfDifferentSizesEachMatchTheReference() {
        Network network = new Network(ModelSpec.parse("sigmoid:3x2"), 2);
        Dataset data = standardized(9, 11, 2).roundedToFloat();
        int[][] rows = {{0, 1, 2, 3, 4}, {10, 9, 8, 7, 6}, {5, 5, 1}, {2, 4, 6, 8, 10}, {}};
        float[][] thetas = new float[rows.length][];
        for (int s = 0; s < thetas.length; s++) {
            thetas[s] = parameters(network, 31L + s);
        }
        try (DeviceDataset device = backend().upload(data)) {
            LossGradient[] results = device.networkLossAndGradientBatch(Loss.MSE, network, thetas, rows);
            for (int s = 0; s < rows.length - 1; s++) {
                LossGradient expected = NetworkReference.lossAndGradient(Loss.MSE, subset(data, rows[s]), network,
                        widen(thetas[s]));
                assertClose(expected, results[s], network, "set " + s + " of " + rows[s].length + " rows");
            }
            LossGradient empty = results[rows.length - 1];
            assertEquals(0, empty.loss(), "an empty minibatch has no loss");
            assertTrue(java.util.Arrays.stream(empty.gradient()).allMatch(g -> g == 0), "nor a gradient");
        }
    }

    @Test
    void aMinibatchMayRepeatAndReorderRows() {
        Network network = new Network(ModelSpec.parse("relu:3x2"), 2);
        Dataset data = standardized(5, 9, 2).roundedToFloat();
        float[] theta = parameters(network, 17);
        int[] rows = {8, 0, 8, 3};
        try (DeviceDataset device = backend().upload(data)) {
            LossGradient expected = NetworkReference.lossAndGradient(Loss.MSE, subset(data, rows), network, widen(theta));
            assertClose(expected, device.networkLossAndGradient(Loss.MSE, network, theta, rows), network, "repeated rows");
        }
    }

    private static void assertClose(LossGradient expected, LossGradient actual, Network network, String what) {
        assertEquals(expected.loss(), actual.loss(), LOSS_RELATIVE * Math.abs(expected.loss()), what + ": loss");
        for (int p = 0; p < network.parameterCount(); p++) {
            double e = expected.gradient(p);
            double a = actual.gradient(p);
            assertTrue(Math.abs(e - a) <= Math.max(GRADIENT_ABSOLUTE, GRADIENT_RELATIVE * Math.abs(e)),
                    what + ": d/d" + network.name(p) + " expected " + e + " got " + a);
        }
    }

    /** Inputs ~ N(0, 1) and a nonlinear target, as the networks see standardized data. */
    static Dataset standardized(long seed, int n, int k) {
        Random random = new Random(seed);
        double[][] x = new double[k][n];
        double[] y = new double[n];
        List<String> names = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            names.add("x" + (j + 1));
        }
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                x[j][i] = random.nextGaussian();
                sum += x[j][i] / (j + 1);
            }
            y[i] = Math.tanh(sum) + 0.3 * sum + 0.2 * random.nextGaussian();
        }
        return new Dataset("standardized n=" + n, names, x, y);
    }

    /** The data with every target at least CLEARANCE away from the network's prediction at theta. */
    static Dataset cleared(Dataset data, Loss loss, Network network, double[] theta) {
        double[] y = data.yColumn();
        for (int i = 0; i < data.n(); i++) {
            double yhat = network.forward(theta, data.row(i));
            if (Math.abs(y[i] - yhat) < CLEARANCE) {
                y[i] = yhat + (y[i] >= yhat ? 2 : -2) * CLEARANCE;
            }
        }
        double[][] x = new double[data.k()][];
        for (int j = 0; j < data.k(); j++) {
            x[j] = data.xColumn(j);
        }
        return new Dataset(data.name(), data.featureNames(), x, y);
    }

    /** Seeded float32 parameters: the network's initialisation with biases moved off 0. */
    static float[] parameters(Network network, long seed) {
        double[] theta = network.initial(seed);
        Random random = new Random(seed + 1);
        float[] out = new float[theta.length];
        for (int p = 0; p < theta.length; p++) {
            out[p] = (float) (theta[p] + 0.3 * random.nextGaussian());
        }
        return out;
    }

    /** About half of n rows, shuffled, at least one. */
    static int[] minibatch(int n, long seed) {
        Random random = new Random(seed);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(i);
        }
        java.util.Collections.shuffle(rows, random);
        return rows.subList(0, Math.max(1, n / 2 + 1)).stream().mapToInt(Integer::intValue).toArray();
    }

    static Dataset subset(Dataset data, int[] rows) {
        double[][] x = new double[data.k()][rows.length];
        double[] y = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            y[r] = data.y(rows[r]);
            for (int j = 0; j < data.k(); j++) {
                x[j][r] = data.x(j, rows[r]);
            }
        }
        return new Dataset(data.name() + " rows", data.featureNames(), x, y);
    }

    static double[] widen(float[] theta) {
        double[] out = new double[theta.length];
        for (int p = 0; p < theta.length; p++) {
            out[p] = theta[p];
        }
        return out;
    }
}
