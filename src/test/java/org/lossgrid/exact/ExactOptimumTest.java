package org.lossgrid.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lossgrid.Nist;
import org.lossgrid.TestData;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;

class ExactOptimumTest {
    @Test
    void olsMatchesNistNorrisToNineDigits() {
        ExactOptimum.Fit fit = ExactOptimum.fit(Loss.MSE, Nist.load("norris"), true);
        double[] beta = fit.params().flat();
        for (int j = 0; j < beta.length; j++) {
            assertTrue(Nist.digits(beta[j], Nist.NORRIS[j]) >= 9, "B" + j + " = " + beta[j]);
        }
        assertTrue(Nist.digits(fit.loss() * 36, Nist.NORRIS_RSS) >= 9, "RSS " + fit.loss() * 36);
    }

    @Test
    void olsMatchesNistLongleyToSevenDigits() {
        double[] beta = ExactOptimum.fit(Loss.MSE, Nist.load("longley"), true).params().flat();
        for (int j = 0; j < beta.length; j++) {
            assertTrue(Nist.digits(beta[j], Nist.LONGLEY[j]) >= 7, "B" + j + " = " + beta[j] + " digits "
                    + Nist.digits(beta[j], Nist.LONGLEY[j]));
        }
    }

    @Test
    void noInterceptMatchesNistNoInt1() {
        ExactOptimum.Fit fit = ExactOptimum.fit(Loss.MSE, Nist.load("noint1"), false);
        assertEquals(0, fit.params().b());
        assertTrue(Nist.digits(fit.params().w(0), Nist.NOINT1_B1) >= 9, "B1 " + fit.params().w(0));
        assertTrue(Nist.digits(fit.loss() * 11, Nist.NOINT1_RSS) >= 9, "RSS " + fit.loss() * 11);
    }

    /** An LAD optimum interpolates p samples, so the best of all p-subsets' interpolants is the exact answer. */
    @Test
    void ladMatchesExhaustiveVertexSearch() {
        Random random = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int k = 1 + trial % 2;
            int n = 5 + random.nextInt(8);
            Dataset data = TestData.random(1000 + trial, n, k);
            double best = exhaustive(data);
            ExactOptimum.Fit fit = ExactOptimum.fit(Loss.MAE, data, true);
            assertEquals(best, fit.loss(), 1e-9 * best, "trial " + trial + " n=" + n + " k=" + k);
        }
    }

    @Test
    void ladOnManySamplesIsNotBeatenByNearbyPoints() {
        Dataset data = TestData.random(5, 1461, 3);
        ExactOptimum.Fit fit = ExactOptimum.fit(Loss.MAE, data, true);
        double[] flat = fit.params().flat();
        for (int p = 0; p < flat.length; p++) {
            for (double h : new double[] {-1e-6, 1e-6, -1e-3, 1e-3}) {
                double[] moved = flat.clone();
                moved[p] += h * Math.max(1, Math.abs(moved[p]));
                double loss = org.lossgrid.reference.Reference.loss(Loss.MAE, data, Params.fromFlat(moved));
                assertTrue(loss >= fit.loss() - 1e-12 * fit.loss(), "moving parameter " + p + " by " + h);
            }
        }
    }

    private static double exhaustive(Dataset data) {
        double[][] a = ExactOptimum.design(data, true);
        int p = a[0].length;
        double best = Double.POSITIVE_INFINITY;
        int n = a.length;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                for (int l = p == 3 ? j + 1 : n; l < n || (p == 2 && l == n); l++) {
                    int[] rows = p == 2 ? new int[] {i, j} : new int[] {i, j, l};
                    double[][] basis = new double[p][];
                    double[] target = new double[p];
                    for (int r = 0; r < p; r++) {
                        basis[r] = a[rows[r]];
                        target[r] = data.y(rows[r]);
                    }
                    double[] beta;
                    try {
                        beta = LeastSquares.solve(basis, target);
                    } catch (ArithmeticException e) {
                        continue;
                    }
                    double sum = 0;
                    for (int s = 0; s < n; s++) {
                        double e = data.y(s);
                        for (int c = 0; c < p; c++) {
                            e -= a[s][c] * beta[c];
                        }
                        sum += Math.abs(e);
                    }
                    best = Math.min(best, sum / n);
                }
            }
        }
        return best;
    }
}
