package org.lossgrid.util;

import static org.lossgrid.error.LossgridException.param;

import java.util.Locale;

import org.lossgrid.error.LossgridException;

/** Byte sizes for people: {@code 1.5 GiB}, and parsing {@code 512m}, {@code 2g}. */
public final class Bytes {
    private Bytes() {
    }

    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Parses a size such as {@code 800m}, {@code 2g}, {@code 64k} or plain bytes. */
    public static long parse(String text, String flag) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long scale = 1;
        if (!s.isEmpty()) {
            char unit = s.charAt(s.length() - 1);
            int power = "kmgt".indexOf(unit) + 1;
            if (power > 0) {
                scale = 1L << (10 * power);
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            double value = Double.parseDouble(s);
            if (value > 0 && value * scale < Long.MAX_VALUE) {
                return (long) (value * scale);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw LossgridException.badInput(param(flag) + ": expected a positive size such as 512m or 2g, got '" + text + "'");
    }
}
