package org.lossgrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.lossgrid.data.Dataset;

/** Seeded random datasets shaped like view counts: x in the thousands, y = b + w.x + noise. */
public final class TestData {
    private TestData() {
    }

    public static Dataset random(long seed, int n, int k) {
        Random random = new Random(seed);
        double[][] x = new double[k][n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double yhat = 150;
            for (int j = 0; j < k; j++) {
                x[j][i] = 1000 + 5000 * random.nextDouble();
                yhat += (0.9 / k) * x[j][i];
            }
            y[i] = Math.rint(yhat + 400 * random.nextGaussian());
        }
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= k; j++) {
            names.add("x" + j);
        }
        return new Dataset("random n=" + n, names, x, y);
    }
}
