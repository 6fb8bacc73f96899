package org.lossgrid.output;

import java.awt.Color;

/**
 * Turbo (Mikhailov, Google 2019), a perceptually improved rainbow from dark blue (low) through green
 * and yellow to dark red (high), by its published polynomial fit.
 */
public final class ColorMap {
    private ColorMap() {
    }

    /** rgb(t) for t in [0, 1], clamped */
    public static int rgb(double t) {
        double x = Math.max(0, Math.min(1, t));
        double r = 0.13572138 + x * (4.61539260 + x * (-42.66032258 + x * (132.13108234 + x * (-152.94239396 + x * 59.28637943))));
        double g = 0.09140261 + x * (2.19418839 + x * (4.84296658 + x * (-14.18503333 + x * (4.27729857 + x * 2.82956604))));
        double b = 0.10667330 + x * (12.64194608 + x * (-60.58204836 + x * (110.36276771 + x * (-89.90310912 + x * 27.34824973))));
        return (channel(r) << 16) | (channel(g) << 8) | channel(b);
    }

    public static Color color(double t) {
        return new Color(rgb(t));
    }

    private static int channel(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }
}
