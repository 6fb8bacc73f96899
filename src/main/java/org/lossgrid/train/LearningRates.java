package org.lossgrid.train;

import static org.lossgrid.error.LossgridException.param;

import org.lossgrid.error.LossgridException;

/** Learning rates to sweep. */
public final class LearningRates {
    private LearningRates() {
    }

    /** rates_i = min * (max/min)^(i/(n-1)), i = 0..n-1: n rates log-spaced from min to max inclusive */
    public static double[] logSpaced(double min, double max, int n) {
        if (!(min > 0)) {
            throw LossgridException.badInput(param("lr-sweep") + ": learning rates must be positive, got MIN " + min);
        }
        double[] rates = new double[n];
        for (int i = 0; i < n; i++) {
            rates[i] = n == 1 ? min : min * Math.pow(max / min, (double) i / (n - 1));
        }
        return rates;
    }
}
