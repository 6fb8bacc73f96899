package org.lossgrid.bench;

import java.util.List;
import java.util.Random;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.Backends;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.SampleChannel;
import org.lossgrid.data.Series;

/** Data and backends for the benchmarks: the sample channel at N = 1461, seeded random data otherwise. */
final class Fixtures {
    private Fixtures() {
    }

    /** The 1-day sample channel (1460 training days) when n = 1461, else n random samples like it. */
    static Dataset data(int n) {
        if (n == 1461) {
            return SampleChannel.bundled().lagFeatures(1, Series.DEFAULT_TRAIN_UNTIL).train();
        }
        Random random = new Random(n);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.rint(1000 + 5000 * random.nextDouble());
            y[i] = Math.rint(150 + 0.93 * x[i] + 500 * random.nextGaussian());
        }
        return new Dataset("random " + n, List.of("x"), new double[][] {x}, y);
    }

    /** Opens a backend; BenchMain only passes backends whose probe succeeded. */
    static Backend open(String name) {
        return Backends.standard().open(name, null, message -> { });
    }
}
