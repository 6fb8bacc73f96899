package org.lossgrid.surface;

import static org.lossgrid.error.LossgridException.param;

import org.lossgrid.error.LossgridException;

/** n points from min to max inclusive, as numpy.linspace: {@code value(i) = min + i * (max - min) / (n - 1)}. */
public record Axis(double min, double max, int n) {

    public Axis {
        if (n < 1) {
            throw new IllegalArgumentException("axis needs n >= 1, got " + n);
        }
        if (!(min < max || min == max && n == 1)) {
            throw new IllegalArgumentException(
                    "axis needs min < max, or min = max with n = 1; got " + min + ":" + max + ":" + n);
        }
    }

    /** value(i) = min + i * step, with value(n-1) = max exactly (numpy.linspace) */
    public double value(int i) {
        if (n == 1) {
            return min;
        }
        if (i == n - 1) {
            return max;
        }
        return min + i * ((max - min) / (n - 1));
    }

    public double center() {
        return 0.5 * (min + max);
    }

    /** Parses {@code MIN:MAX:N} for the flag named in errors; the checks are those of DESIGN.md section 5. */
    public static Axis parse(String text, String flag) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw LossgridException.badInput(param(flag) + ": expected MIN:MAX:N, for example 0.5:1.5:512, got '" + text + "'");
        }
        double min = number(parts[0], flag, "MIN");
        double max = number(parts[1], flag, "MAX");
        int n;
        try {
            n = Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            throw LossgridException.badInput(param(flag) + ": N must be a whole number of points, got '" + parts[2] + "'");
        }
        if (n < 1) {
            throw LossgridException.badInput(param(flag) + ": N must be at least 1, got " + n);
        }
        if (min > max) {
            throw LossgridException.badInput(param(flag) + ": MIN " + parts[0] + " is greater than MAX " + parts[1]);
        }
        if (min == max && n > 1) {
            throw LossgridException.badInput(param(flag) + ": MIN equals MAX, so use N = 1 or widen the range");
        }
        Axis axis = new Axis(min, max, n);
        axis.checkFloat(flag);
        return axis;
    }

    /**
     * Checks that the devices, which compute in float32, can represent this axis: MIN and MAX within
     * float's range, the span MAX - MIN finite, and the step between points not rounded to 0.
     */
    public void checkFloat(String flag) {
        if (Math.abs(min) > Float.MAX_VALUE || Math.abs(max) > Float.MAX_VALUE) {
            throw LossgridException.badInput(param(flag) + ": " + this + " is beyond float32's range (about 3.4e38), "
                    + "in which the backends compute");
        }
        if (!Double.isFinite(max - min) || (float) (max - min) == Float.POSITIVE_INFINITY) {
            throw LossgridException.badInput(param(flag) + ": the span MAX - MIN of " + this + " overflows float32");
        }
        if (n > 1 && (float) ((max - min) / (n - 1)) == 0f) {
            throw LossgridException.badInput(param(flag) + ": " + n + " points from " + min + " to " + max
                    + " are closer together than float32 can tell apart; use fewer points or a wider range");
        }
    }

    private static double number(String text, String flag, String what) {
        try {
            double value = Double.parseDouble(text.trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw LossgridException.badInput(param(flag) + ": " + what + " must be a finite number, got '" + text + "'");
    }

    @Override
    public String toString() {
        return min + ":" + max + ":" + n;
    }
}
