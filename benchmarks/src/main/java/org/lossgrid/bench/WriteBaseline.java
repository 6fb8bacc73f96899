package org.lossgrid.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under any surface method: filling a grid x grid float array, on one thread, as
 * {@code SurfaceBenchmark.surface} fills its output. The closed-form MSE surface is measured against it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class WriteBaseline {
    @Param({"1024", "4096"})
    public int grid;

    private float[] out;
    private float value;

    @Setup
    public void setUp() {
        out = new float[grid * grid];
    }

    @Benchmark
    public float fill() {
        value += 1;
        Arrays.fill(out, value);
        return out[out.length / 2];
    }
}
