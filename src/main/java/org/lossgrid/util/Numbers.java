package org.lossgrid.util;

import java.math.BigDecimal;
import java.util.Locale;

/** Numbers for people. */
public final class Numbers {
    private Numbers() {
    }

    /** A number in at most 6 significant digits without trailing zeros: 0.1, 3e-08, 1234.5 */
    public static String compact(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.6g", value)).stripTrailingZeros().toString()
                .replace("E", "e").replace("e+", "e");
    }
}
