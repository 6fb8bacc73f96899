package org.lossgrid.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lossgrid.TestData;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;

/** The reference gradient is the derivative of the reference loss: central finite differences. */
class ReferenceTest {
    @Test
    void gradientsMatchFiniteDifferences() {
        for (int n : new int[] {1, 7, 1000}) {
            Dataset data = TestData.random(n, n, 2);
            Params params = new Params(120, new double[] {0.4, 0.5});
            for (Loss loss : TestData.LOSSES) {
                double[] gradient = Reference.lossAndGradient(loss, data, params).gradient();
                for (int p = 0; p < 3; p++) {
                    // central differences are exact for the quadratic MSE, so its step can be large
                    double h = loss instanceof Loss.Mse ? 1.0 : p == 0 ? 1e-3 : 1e-7;
                    double up = Reference.loss(loss, data, params.with(p, params.get(p) + h));
                    double down = Reference.loss(loss, data, params.with(p, params.get(p) - h));
                    double difference = (up - down) / (2 * h);
                    assertEquals(difference, gradient[p], 1e-6 * Math.max(1, Math.abs(difference)),
                            loss.name() + " n=" + n + " parameter " + p);
                }
            }
        }
    }
}
