package org.lossgrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;

/** Seeded random datasets shaped like view counts: x in the thousands, y = b + w.x + noise. */
public final class TestData {
    /**
     * Every loss, Huber with a delta inside the noise of {@link #random} (sd 400), so that both of its
     * branches are exercised.
     */
    public static final List<Loss> LOSSES = List.of(Loss.MAE, Loss.MSE, new Loss.Huber(300));

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

    /** {@link #random} with every tenth sample's target moved up by 2000 to 5000 views: outliers. */
    public static Dataset withOutliers(long seed, int n, int k) {
        Dataset clean = random(seed, n, k);
        Random random = new Random(seed + 1);
        double[] y = clean.yColumn();
        for (int i = 0; i < n; i += 10) {
            y[i] += 2000 + 3000 * random.nextDouble();
        }
        double[][] x = new double[k][];
        for (int j = 0; j < k; j++) {
            x[j] = clean.xColumn(j);
        }
        return new Dataset("random with outliers n=" + n, clean.featureNames(), x, y);
    }
}
