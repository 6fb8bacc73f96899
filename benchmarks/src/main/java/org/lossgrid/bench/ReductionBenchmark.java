package org.lossgrid.bench;

import java.util.concurrent.TimeUnit;

import org.lossgrid.api.Lossgrid;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
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
 * The loss + gradient reduction (one parameter set), one plain gradient-descent step on it, and the
 * batched sweep step (1, 64, 1024 parameter sets in one call), per backend and N.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReductionBenchmark {
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    @Param({"mae", "mse"})
    public String loss;

    @Param({"1461", "100000"})
    public int samples;

    @Param({"1", "64", "1024"})
    public int sets;

    private Lossgrid lossgrid;
    private Loss lossFunction;
    private Params[] batch;
    private double[] theta;

    @Setup(Level.Trial)
    public void setUp() {
        lossgrid = Fixtures.open(backend, Fixtures.data(samples));
        lossFunction = lossgrid.loss(loss, null);
        batch = new Params[sets];
        for (int s = 0; s < sets; s++) {
            batch[s] = new Params(100 + s, new double[] {0.9 + 1e-4 * s});
        }
        theta = new double[] {100, 0.9};
    }

    @Benchmark
    public double lossAndGradient(Evals evals) {
        evals.evals += samples;
        return lossgrid.lossAndGradient(lossFunction, batch[0]).loss();
    }

    /** theta <- theta - eta grad, with a step small enough to stay near the start. */
    @Benchmark
    public double trainingStep(Evals evals) {
        LossGradient lg = lossgrid.lossAndGradient(lossFunction, Params.fromFlat(theta));
        double[] gradient = lg.gradient();
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= 1e-12 * gradient[i];
        }
        evals.evals += samples;
        return lg.loss();
    }

    @Benchmark
    public double batchedStep(Evals evals) {
        LossGradient[] results = lossgrid.lossAndGradient(lossFunction, batch);
        evals.evals += (long) samples * sets;
        return results[results.length - 1].loss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lossgrid.close();
    }
}
