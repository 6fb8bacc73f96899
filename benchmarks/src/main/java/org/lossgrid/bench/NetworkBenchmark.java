package org.lossgrid.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.lossgrid.api.Data;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.Network;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The §1.2 networks on each backend (issue 17): one full-batch training step of relu:100 on 56 lags of
 * the sample channel (the loss and gradient of all 1405 training samples), and a loss-landscape tile of
 * relu:100 on 1 lag (the loss at {@code points} points of a plane over all 1460 samples, the
 * {@code networkPlane} call of {@code lossgrid landscape}). The data are standardized, as the trainer uploads them.
 * The evals counter is samples x parameter vectors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NetworkBenchmark {
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    @Param({"relu:100"})
    public String model;

    /** Parameter vectors per landscape tile (64 x 64 grid points). */
    @Param({"4096"})
    public int points;

    private Backend device;
    private DeviceDataset lags56;
    private DeviceDataset lags1;
    private Network network56;
    private Network network1;
    private float[] theta56;
    private double[] centre;
    private double[] d1;
    private double[] d2;
    private double[] alphas;
    private double[] betas;
    private int[] all;

    @Setup(Level.Trial)
    public void setUp() {
        device = Fixtures.backend(backend);
        Dataset train56 = standardized(Data.sample(56).train());
        Dataset train1 = standardized(Data.sample(1).train());
        lags56 = device.upload(train56);
        lags1 = device.upload(train1);
        network56 = new Network(ModelSpec.parse(model), 56);
        network1 = new Network(ModelSpec.parse(model), 1);
        theta56 = floats(network56.initial(1));
        centre = network1.initial(2);
        d1 = network1.initial(3);
        d2 = network1.initial(4);
        int side = (int) Math.round(Math.sqrt(points));
        alphas = new double[points];
        betas = new double[points];
        for (int p = 0; p < points; p++) {
            alphas[p] = -1 + 2.0 * (p % side) / (side - 1);
            betas[p] = -1 + 2.0 * (p / side) / (side - 1);
        }
        all = IntStream.range(0, train56.n()).toArray();
    }

    /** The device work of one full-batch gradient step: forward, loss, backward over every training sample. */
    @Benchmark
    public double trainingStep(Evals evals) {
        evals.evals += all.length;
        return lags56.networkLossAndGradient(Loss.MAE, network56, theta56, all).loss();
    }

    /** The losses of a tile of landscape points over every sample, as lossgrid landscape asks for them. */
    @Benchmark
    public double landscapeTile(Evals evals) {
        evals.evals += (long) points * lags1.host().n();
        return lags1.networkPlane(Loss.MAE, network1, centre, d1, d2, alphas, betas)[points - 1];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lags56.close();
        lags1.close();
        device.close();
    }

    /** (x - mean) / sd per feature and for y, as the network trainer standardizes before uploading */
    private static Dataset standardized(Dataset data) {
        double[][] x = new double[data.k()][];
        List<String> names = new ArrayList<>(data.featureNames());
        for (int j = 0; j < data.k(); j++) {
            x[j] = standardize(data.xColumn(j));
        }
        return new Dataset(data.name(), names, x, standardize(data.yColumn()));
    }

    private static double[] standardize(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        double sd = Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(1));
        return Arrays.stream(values).map(v -> (v - mean) / (sd == 0 ? 1 : sd)).toArray();
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
