package org.lossgrid.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;
import org.lossgrid.model.Params;
import org.lossgrid.backend.SurfacePlane;

/**
 * The samples as a float32 device would hold them (widened to double once, for the reductions).
 * Loss and gradient reductions run in double with interleaved partial sums, which both breaks the
 * add latency chain and keeps the error far below the float32 bound of the contract. The 1-feature
 * model, the lesson's, has its own fused single pass: about 1 us per step at N = 1461.
 */
final class CpuDeviceDataset implements DeviceDataset {
    private final Dataset host;
    private final ForkJoinPool pool;
    private final double[] y;
    private final double[][] x;
    private final int n;
    private final int k;
    private final CpuNetwork networks;

    CpuDeviceDataset(Dataset host, ForkJoinPool pool) {
        this.host = host;
        this.pool = pool;
        Dataset rounded = host.roundedToFloat();
        this.y = rounded.yColumn();
        this.k = rounded.k();
        this.x = new double[k][];
        for (int j = 0; j < k; j++) {
            x[j] = rounded.xColumn(j);
        }
        this.n = y.length;
        this.networks = new CpuNetwork(x, y, pool);
    }

    @Override
    public Dataset host() {
        return host;
    }

    @Override
    public LossGradient lossAndGradient(Loss loss, Params params) {
        double[] gradient = new double[k + 1];
        double value = k == 1 ? oneFeature(loss, params.b(), params.w(0), gradient) : manyFeatures(loss, params, gradient);
        return new LossGradient(value, gradient);
    }

    @Override
    public LossGradient[] lossAndGradientBatch(Loss loss, Params[] params) {
        LossGradient[] results = new LossGradient[params.length];
        Runnable all = () -> IntStream.range(0, params.length).parallel()
                .forEach(s -> results[s] = lossAndGradient(loss, params[s]));
        pool.submit(all).join();
        return results;
    }

    @Override
    public LossGradient networkLossAndGradient(Loss loss, Network network, float[] theta, int[] rows) {
        return networks.lossAndGradient(loss, network, new float[][] {theta}, new int[][] {rows})[0];
    }

    @Override
    public LossGradient[] networkLossAndGradientBatch(Loss loss, Network network, float[][] thetas, int[][] rows) {
        return networks.lossAndGradient(loss, network, thetas, rows);
    }

    @Override
    public double[] networkLosses(Loss loss, Network network, float[][] thetas) {
        return networks.losses(loss, network, thetas);
    }

    /** One hidden layer by the plane's affine pre-activations ({@link CpuNetwork#plane}); deeper networks point by point. */
    @Override
    public double[] networkPlane(Loss loss, Network network, double[] centre, double[] d1, double[] d2, double[] alphas,
            double[] betas) {
        if (network.layers() == 2) {
            return networks.plane(loss, network, centre, d1, d2, alphas, betas);
        }
        return DeviceDataset.super.networkPlane(loss, network, centre, d1, d2, alphas, betas);
    }

    @Override
    public SurfaceTiles surface(Loss loss, SurfacePlane plane) {
        return new CpuSurfaceTiles(loss, plane, pool);
    }

    /**
     * The 1-feature model in one fused pass with two interleaved sets of partial sums, for MAE, MSE and
     * Huber: L = mean term(e), dL/db = -mean slope(e), dL/dw = -mean slope(e) x, e = y - b - w x. The loss
     * is chosen by the loop-invariant {@code kind}, a branch C2 hoists out of the loop.
     */
    private double oneFeature(Loss loss, double b, double w, double[] gradient) {
        int kind = loss.kernelId();
        double delta = loss.parameter();
        double[] x1 = x[0];
        double loss0 = 0;
        double loss1 = 0;
        double gb0 = 0;
        double gb1 = 0;
        double gw0 = 0;
        double gw1 = 0;
        for (int pair = 0; pair < n / 2; pair++) {
            int i = 2 * pair;
            double e0 = y[i] - b - w * x1[i];
            double e1 = y[i + 1] - b - w * x1[i + 1];
            double s0 = slope(kind, delta, e0);
            double s1 = slope(kind, delta, e1);
            loss0 += term(kind, s0, e0);
            loss1 += term(kind, s1, e1);
            gb0 += s0;
            gb1 += s1;
            gw0 += s0 * x1[i];
            gw1 += s1 * x1[i + 1];
        }
        if (n % 2 == 1) {
            double e = y[n - 1] - b - w * x1[n - 1];
            double s = slope(kind, delta, e);
            loss0 += term(kind, s, e);
            gb0 += s;
            gw0 += s * x1[n - 1];
        }
        gradient[0] = -(gb0 + gb1) / n;
        gradient[1] = -(gw0 + gw1) / n;
        return (loss0 + loss1) / n;
    }

    /** slope(e): sign(e) for MAE (kind 0), 2e for MSE (1), clamp(e, -delta, delta) for Huber (2) */
    private static double slope(int kind, double delta, double e) {
        return kind == 0 ? Math.signum(e) : kind == 1 ? 2 * e : Math.max(-delta, Math.min(delta, e));
    }

    /** term(e) from its slope s: |e| = s e for MAE, e^2 for MSE, a (|e| - a/2) with a = |s| for Huber */
    private static double term(int kind, double s, double e) {
        return kind == 0 ? s * e : kind == 1 ? e * e : Math.abs(s) * (Math.abs(e) - 0.5 * Math.abs(s));
    }

    /** Any loss and k features: e_i = y_i - b - sum_j w_j x_ji, then the reductions, feature by feature. */
    private double manyFeatures(Loss loss, Params params, double[] gradient) {
        double[] e = new double[n];
        double b = params.b();
        for (int i = 0; i < n; i++) {
            e[i] = y[i] - b;
        }
        for (int j = 0; j < k; j++) {
            double w = params.w(j);
            double[] xj = x[j];
            for (int i = 0; i < n; i++) {
                e[i] -= w * xj[i];
            }
        }
        double[] slope = new double[n];
        double[] term = new double[n];
        for (int i = 0; i < n; i++) {
            slope[i] = loss.slope(e[i]);
            term[i] = loss.term(e[i]);
        }
        double value = sum(term);
        gradient[0] = -sum(slope) / n;
        for (int j = 0; j < k; j++) {
            gradient[j + 1] = -dot(slope, x[j]) / n;
        }
        return value / n;
    }

    /** sum_i a_i, four interleaved partial sums */
    private static double sum(double[] a) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum_i a_i b_i, four interleaved partial sums */
    private static double dot(double[] a, double[] b) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void close() {
        // host memory only: the garbage collector frees it
    }
}
