package org.lossgrid.model;

import static org.lossgrid.error.LossgridException.param;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lossgrid.error.LossgridException;

/**
 * A member of the model family of 《深度学习详解》 section 1.2: {@code linear} (no hidden layer),
 * {@code sigmoid:H} and {@code relu:H} (one hidden layer of H units), {@code relu:HxL} and
 * {@code sigmoid:HxL} (L hidden layers of H units). The output layer is always linear.
 */
public record ModelSpec(Activation activation, int width, int depth) {
    /** The most units per hidden layer and the most hidden layers a spec may ask for. */
    public static final int MAX_WIDTH = 100_000;
    public static final int MAX_DEPTH = 64;

    public static final ModelSpec LINEAR = new ModelSpec(Activation.NONE, 0, 0);

    private static final Pattern HIDDEN = Pattern.compile("([a-z]+):([0-9]+)(?:x([0-9]+))?");

    public ModelSpec {
        boolean linear = activation == Activation.NONE;
        if (linear ? width != 0 || depth != 0 : width < 1 || depth < 1 || width > MAX_WIDTH || depth > MAX_DEPTH) {
            throw LossgridException.badInput(param("model") + ": " + activation.label() + " needs 1.." + MAX_WIDTH
                    + " units in each of 1.." + MAX_DEPTH + " hidden layers, got " + width + " units x " + depth
                    + " layers");
        }
    }

    /** The activation of the hidden units; NONE for the linear model. */
    public enum Activation {
        NONE, SIGMOID, RELU;

        /** The name in specs and files: none, sigmoid, relu. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** act(z): 1 / (1 + e^-z) for sigmoid, max(0, z) for relu, z for none */
        public double apply(double z) {
            return switch (this) {
                case NONE -> z;
                case SIGMOID -> 1 / (1 + Math.exp(-z));
                case RELU -> z > 0 ? z : 0;
            };
        }

        /** act'(z) from a = act(z): a (1 - a) for sigmoid, [a > 0] for relu, 1 for none */
        public double slopeFromOutput(double a) {
            return switch (this) {
                case NONE -> 1;
                case SIGMOID -> a * (1 - a);
                case RELU -> a > 0 ? 1 : 0;
            };
        }

        /** The activation called {@code label} in a params file. */
        static Activation ofLabel(String label) {
            for (Activation a : values()) {
                if (a.label().equals(label)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** The spec a user writes: linear, sigmoid:H, relu:H, relu:HxL or sigmoid:HxL. */
    public static ModelSpec parse(String text) {
        String spec = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (spec.equals("linear")) {
            return LINEAR;
        }
        Matcher m = HIDDEN.matcher(spec);
        Activation activation = m.matches() ? Activation.ofLabel(m.group(1)) : null;
        if (activation == null || activation == Activation.NONE) {
            throw LossgridException.badInput(param("model") + ": unknown model '" + text + "'; choose linear, "
                    + "sigmoid:H, relu:H or relu:HxL (H units in each of L hidden layers), such as relu:100x2");
        }
        int width = count(m.group(2), text);
        int depth = m.group(3) == null ? 1 : count(m.group(3), text);
        return new ModelSpec(activation, width, depth);
    }

    private static int count(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw LossgridException.badInput(param("model") + ": '" + text + "' asks for more units or layers than "
                    + MAX_WIDTH + " x " + MAX_DEPTH);
        }
    }

    public boolean linear() {
        return activation == Activation.NONE;
    }

    /** The spec as a user writes it: linear, relu:10, relu:100x2. */
    @Override
    public String toString() {
        return linear() ? "linear" : activation.label() + ":" + width + (depth == 1 ? "" : "x" + depth);
    }
}
