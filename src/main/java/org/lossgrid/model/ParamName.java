package org.lossgrid.model;

import static org.lossgrid.error.LossgridException.param;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.lossgrid.error.LossgridException;

/** Names of model parameters: {@code b} is index 0, {@code w1..wk} (or {@code w} for w1) are 1..k. */
public final class ParamName {
    private ParamName() {
    }

    public static String of(int index) {
        return index == 0 ? "b" : "w" + index;
    }

    /** Index of a parameter name for a model with {@code features} weights; bad names are exit-2 errors. */
    public static int parse(String name, int features, String flag) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("b")) {
            return 0;
        }
        if (n.equals("w")) {
            n = "w1";
        }
        if (n.matches("w[0-9]+")) {
            int j = Integer.parseInt(n.substring(1));
            if (j >= 1 && j <= features) {
                return j;
            }
        }
        throw LossgridException.badInput(param(flag) + ": unknown parameter '" + name + "'; this model has "
                + describe(features));
    }

    /** Parses {@code name=value,name=value} into a map from parameter index to value. */
    public static Map<Integer, Double> parseAssignments(String text, int features, String flag) {
        Map<Integer, Double> values = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return values;
        }
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw LossgridException.badInput(param(flag) + ": expected name=value, got '" + part.trim() + "'");
            }
            int index = parse(part.substring(0, eq), features, flag);
            String number = part.substring(eq + 1).trim();
            double value;
            try {
                value = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                throw LossgridException.badInput(param(flag) + ": '" + number + "' is not a number");
            }
            if (!Double.isFinite(value)) {
                throw LossgridException.badInput(param(flag) + ": " + of(index) + " must be finite, got " + number);
            }
            values.put(index, value);
        }
        return values;
    }

    public static String describe(int features) {
        return features == 1 ? "parameters b and w1 (alias w)" : "parameters b and w1..w" + features;
    }
}
