package org.lossgrid.bench;

import java.util.concurrent.TimeUnit;

import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.SurfacePlane;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.Split;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceMethod;
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
 * The brute-force surface per backend, loss, grid and N. {@link #surface} measures the kernels: the data
 * and the plane are on the device before the measurement (setup, on the backend layer below the library's
 * handle), and the measured call computes the whole grid and copies it back, synchronously.
 * {@link #endToEnd} is a user's single surface through the library ({@code Lossgrid.surface}): it also
 * builds and uploads the plane.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class SurfaceBenchmark {
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    @Param({"mae", "mse"})
    public String loss;

    @Param({"256", "1024", "4096"})
    public int grid;

    @Param({"1461", "100000"})
    public int samples;

    /** exact-fast runs on the CPU whatever the backend: measure it with -p backend=cpu -p method=exact-fast. */
    @Param({"brute"})
    public String method;

    private Backend opened;
    private DeviceDataset dataset;
    private SurfaceTiles tiles;
    private Lossgrid lossgrid;
    private SurfaceRequest request;
    private float[] out;
    private long evalsPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        Split split = Fixtures.data(samples);
        Dataset data = split.train();
        lossgrid = Fixtures.open(backend, split);
        Loss lossFunction = lossgrid.loss(loss, null);
        SurfaceMethod surfaceMethod = SurfaceMethod.parse(method);
        Axis w = new Axis(0.5, 1.5, grid);
        Axis b = new Axis(-1000, 1500, grid);
        request = SurfaceRequest.of(lossFunction).method(surfaceMethod).grid(w, b).build();
        opened = Fixtures.backend(backend);
        dataset = opened.upload(data);
        SurfacePlane plane = Slice.wb(Params.zeros(1)).plane(data, new GridSpec(w, b));
        tiles = surfaceMethod.resolve(lossFunction).tiles(dataset, lossFunction, plane);
        out = new float[grid * grid];
        evalsPerCall = (long) grid * grid * data.n();
    }

    @Benchmark
    public float surface(Evals evals) {
        tiles.computeRows(0, grid, out);
        evals.evals += evalsPerCall;
        return out[out.length / 2];
    }

    @Benchmark
    public float endToEnd(Evals evals) {
        float[] values = lossgrid.surface(request).values();
        evals.evals += evalsPerCall;
        return values[values.length / 2];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tiles.close();
        dataset.close();
        opened.close();
        lossgrid.close();
    }
}
