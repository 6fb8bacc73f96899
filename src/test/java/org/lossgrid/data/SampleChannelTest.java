package org.lossgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.reference.Reference;

/** The bundled channel is what the generator makes, and lands near the book's figures. */
class SampleChannelTest {
    private final Series bundled = SampleChannel.bundled();

    @Test
    void theBundledFileIsTheGeneratorsOutput() {
        Series generated = SampleChannel.generate(SampleChannel.DEFAULT_SEED, SampleChannel.DEFAULT_FIRST,
                SampleChannel.DEFAULT_LAST);
        assertEquals(SampleChannel.DEFAULT_FIRST, bundled.first());
        assertEquals(SampleChannel.DEFAULT_LAST, bundled.last());
        assertArrayEquals(generated.views(), bundled.views());
    }

    @Test
    void theOneDayMaeOptimumIsNearTheBooks() {
        Split split = bundled.lagFeatures(1, Series.DEFAULT_TRAIN_UNTIL);
        ExactOptimum.Fit fit = ExactOptimum.fit(Loss.MAE, split.train(), true);
        double w = fit.params().w(0);
        double b = fit.params().b();
        double test = Reference.loss(Loss.MAE, split.test(), fit.params());
        assertTrue(w >= 0.90 && w <= 1.00, "w* = " + w);
        assertTrue(b >= 0 && b <= 300, "b* = " + b);
        assertTrue(fit.loss() >= 400 && fit.loss() <= 560, "L = " + fit.loss());
        assertTrue(test >= 480 && test <= 680, "L' = " + test);
    }

    @Test
    void theSevenDayModelBeatsTheOneDayModelOnTrainAndTest() {
        Split one = bundled.lagFeatures(1, Series.DEFAULT_TRAIN_UNTIL);
        Split seven = bundled.lagFeatures(7, Series.DEFAULT_TRAIN_UNTIL);
        ExactOptimum.Fit fit1 = ExactOptimum.fit(Loss.MAE, one.train(), true);
        ExactOptimum.Fit fit7 = ExactOptimum.fit(Loss.MAE, seven.train(), true);
        assertTrue(fit7.loss() < fit1.loss(), fit7.loss() + " vs " + fit1.loss());
        assertTrue(Reference.loss(Loss.MAE, seven.test(), fit7.params()) < Reference.loss(Loss.MAE, one.test(), fit1.params()));
    }

    @Test
    void theChannelLooksLikeAChannel() {
        double[] views = bundled.views();
        double first = 0;
        double last = 0;
        for (int d = 0; d < 365; d++) {
            first += views[d] / 365;
            last += views[views.length - 1 - d] / 365;
        }
        assertTrue(first > 1000 && last > 3 * first, "level " + first + " -> " + last);
        double weekday = 0;
        double weekend = 0;
        for (int d = 0; d < views.length; d++) {
            int dow = bundled.date(d).getDayOfWeek().getValue();
            if (dow >= 6) {
                weekend += views[d] / 2;
            } else {
                weekday += views[d] / 5;
            }
        }
        assertTrue(weekend < 0.96 * weekday, "weekend dip " + weekend / weekday);
    }
}
