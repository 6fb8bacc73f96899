package org.lossgrid.bench;

import java.util.Random;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.Backends;
import org.lossgrid.data.Split;

/** Data and backends for the benchmarks: the sample channel at N = 1461, seeded random data otherwise. */
final class Fixtures {
    private Fixtures() {
    }

    /** The 1-day sample channel (1460 training days) when n = 1461, else n random samples like it. */
    static Split data(int n) {
        if (n == 1461) {
            return Data.sample(1);
        }
        Random random = new Random(n);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.rint(1000 + 5000 * random.nextDouble());
            y[i] = Math.rint(150 + 0.93 * x[i] + 500 * random.nextGaussian());
        }
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new double[] {x[i]};
        }
        return Data.arrays(rows, y);
    }

    /** Opens the library on a backend; BenchMain only passes backends whose probe succeeded. */
    static Lossgrid open(String name, Split data) {
        return Lossgrid.open(name, data);
    }

    /** Opens a backend by itself, for the kernel-level measurements below the library's handle. */
    static Backend backend(String name) {
        return Backends.standard().open(name, null, message -> { });
    }
}
