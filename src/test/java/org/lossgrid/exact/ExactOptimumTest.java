package org.lossgrid.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lossgrid.Nist;
import org.lossgrid.TestData;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;

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

    @Test
    void theHuberOptimumHasAZeroGradient() {
        for (int k : new int[] {1, 3}) {
            Dataset data = TestData.withOutliers(7 + k, 1461, k);
            Loss huber = new Loss.Huber(ExactOptimum.huberDelta(data, true));
            ExactOptimum.Fit fit = ExactOptimum.fit(huber, data, true);
            double[] gradient = Reference.lossAndGradient(huber, data, fit.params()).gradient();
            for (int j = 0; j < gradient.length; j++) {
                // zero to rounding: within 1e-10 of the mean size of the terms it sums, |slope(e_i) a_ij|
                double terms = 0;
                for (int i = 0; i < data.n(); i++) {
                    double e = data.y(i) - fit.params().predict(data.row(i));
                    terms += Math.abs(huber.slope(e) * (j == 0 ? 1 : data.x(j - 1, i))) / data.n();
                }
                assertTrue(Math.abs(gradient[j]) <= 1e-10 * terms, "k=" + k + " dL/dtheta_" + j + " = " + gradient[j]
                        + " against terms of mean size " + terms);
            }
        }
    }

    @Test
    void huberLiesBetweenLeastSquaresAndLeastAbsoluteDeviations() {
        Dataset data = TestData.withOutliers(3, 500, 1);
        Params ols = ExactOptimum.fit(Loss.MSE, data, true).params();
        Params wide = ExactOptimum.fit(new Loss.Huber(1e7), data, true).params();
        assertArrayEquals(ols.flat(), wide.flat(), 1e-9 * 1e3, "a delta beyond every residual is least squares");
        Params lad = ExactOptimum.fit(Loss.MAE, data, true).params();
        Params usual = ExactOptimum.fit(new Loss.Huber(ExactOptimum.huberDelta(data, true)), data, true).params();
        assertTrue(Math.abs(usual.b() - lad.b()) < Math.abs(ols.b() - lad.b()),
                "the outliers pull Huber's intercept less than least squares': " + usual + " " + ols + " " + lad);
    }

    @Test
    void theDefaultHuberDeltaIsTheUsualMultipleOfTheNoise() {
        // TestData.random adds Gaussian noise with sd 400, so delta should be about 1.345 * 400; a tenth of
        // the samples as outliers inflate the robust scale by less than a quarter (the sd grows threefold)
        assertEquals(1.345 * 400, ExactOptimum.huberDelta(TestData.random(11, 4000, 1), true), 0.05 * 1.345 * 400);
        assertEquals(1.345 * 400, ExactOptimum.huberDelta(TestData.withOutliers(11, 4000, 1), true), 0.25 * 1.345 * 400);
    }
}
