package org.lossgrid.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.surface.SurfacePlane;

/**
 * The samples as a float32 device would hold them (widened to double once, for the reductions).
 * Loss and gradient reductions run in double with four interleaved partial sums, which both breaks
 * the add latency chain and keeps the error far below the float32 bound of the contract.
 */
final class CpuDeviceDataset implements DeviceDataset {
    private final Dataset host;
    private final ForkJoinPool pool;
    private final double[] y;
    private final double[][] x;
    private final int n;
    private final int k;

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
    }

    @Override
    public Dataset host() {
        return host;
    }

    @Override
    public double loss(Loss loss, Params params) {
        return lossAndGradient(loss, params).loss();
    }

    @Override
    public LossGradient lossAndGradient(Loss loss, Params params) {
        double[] residual = residuals(params);
        double[] gradient = new double[k + 1];
        double value = loss instanceof Loss.Mae ? maeReduce(residual, gradient) : mseReduce(residual, gradient);
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
    public SurfaceTiles surface(Loss loss, SurfacePlane plane) {
        return new CpuSurfaceTiles(loss, plane, pool);
    }

    /** e_i = y_i - b - sum_j w_j x_ji */
    private double[] residuals(Params params) {
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
        return e;
    }

    /** L = mean |e|, dL/db = -mean sign(e), dL/dw_j = -mean sign(e) x_j; returns L and fills gradient. */
    private double maeReduce(double[] e, double[] gradient) {
        double[] sign = new double[n];
        for (int i = 0; i < n; i++) {
            sign[i] = Math.signum(e[i]);
        }
        gradient[0] = -sum(sign) / n;
        for (int j = 0; j < k; j++) {
            gradient[j + 1] = -dot(sign, x[j]) / n;
        }
        return dot(sign, e) / n;
    }

    /** L = mean e^2, dL/db = -2 mean e, dL/dw_j = -2 mean e x_j; returns L and fills gradient. */
    private double mseReduce(double[] e, double[] gradient) {
        gradient[0] = -2 * sum(e) / n;
        for (int j = 0; j < k; j++) {
            gradient[j + 1] = -2 * dot(e, x[j]) / n;
        }
        return dot(e, e) / n;
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
