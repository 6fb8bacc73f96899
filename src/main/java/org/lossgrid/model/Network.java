package org.lossgrid.model;

import static org.lossgrid.error.LossgridException.param;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lossgrid.error.LossgridException;

/**
 * The shape of a {@link ModelSpec} on k inputs and its flat parameter vector, the order every
 * backend and optimizer uses: for each layer l = 1..L+1 (input side first, output layer last),
 * {@code W_l} row by row ({@code out x in}), then {@code b_l}. Layer sizes are
 * {@code k, H, ..., H, 1}; the linear model is the single layer {@code W_1} (1 x k), {@code b_1}.
 */
public final class Network {
    /** The most parameters a network may have: 2^28, a 1 GiB float vector, far beyond the book's models. */
    public static final long MAX_PARAMETERS = 1L << 28;

    private static final Pattern NAME = Pattern.compile("([wb])([0-9]+)\\[([0-9]+)(?:,([0-9]+))?]");

    private final ModelSpec spec;
    private final int[] sizes;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int parameterCount;

    public Network(ModelSpec spec, int inputs) {
        if (inputs < 1) {
            throw LossgridException.badInput(param("lags") + " must be at least 1, got " + inputs);
        }
        this.spec = spec;
        int layers = spec.depth() + 1;
        this.sizes = new int[layers + 1];
        sizes[0] = inputs;
        for (int l = 1; l < layers; l++) {
            sizes[l] = spec.width();
        }
        sizes[layers] = 1;
        this.weightOffset = new int[layers + 1];
        this.biasOffset = new int[layers + 1];
        long offset = 0;
        for (int l = 1; l <= layers; l++) {
            weightOffset[l] = (int) Math.min(offset, Integer.MAX_VALUE);
            offset += (long) sizes[l] * sizes[l - 1];
            biasOffset[l] = (int) Math.min(offset, Integer.MAX_VALUE);
            offset += sizes[l];
            if (offset > MAX_PARAMETERS) {
                throw LossgridException.badInput(param("model") + ": " + spec + " on " + inputs + " inputs has more than "
                        + MAX_PARAMETERS + " parameters; choose fewer units or layers");
            }
        }
        this.parameterCount = (int) offset;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** k, the number of inputs (lags). */
    public int inputs() {
        return sizes[0];
    }

    /** L + 1: the hidden layers and the output layer. */
    public int layers() {
        return sizes.length - 1;
    }

    /** Units of layer l (0 is the input, {@link #layers()} the output). */
    public int size(int l) {
        return sizes[l];
    }

    /** Index of W_l[0,0] in the flat vector; W_l[i,j] is at weightOffset(l) + i * size(l - 1) + j. */
    public int weightOffset(int l) {
        return weightOffset[l];
    }

    /** Index of b_l[0] in the flat vector. */
    public int biasOffset(int l) {
        return biasOffset[l];
    }

    public int parameterCount() {
        return parameterCount;
    }

    /**
     * The user's name of flat parameter {@code index}: {@code W<l>[i,j]} or {@code b<l>[i]}; for the
     * linear model {@code b} and {@code w1..wk} (see {@link ParamName}).
     */
    public String name(int index) {
        for (int l = 1; l <= layers(); l++) {
            if (index < biasOffset[l]) {
                int at = index - weightOffset[l];
                int row = at / sizes[l - 1];
                int column = at % sizes[l - 1];
                return spec.linear() ? ParamName.of(column + 1) : "W" + l + "[" + row + "," + column + "]";
            }
            if (index < biasOffset[l] + sizes[l]) {
                return spec.linear() ? ParamName.of(0) : "b" + l + "[" + (index - biasOffset[l]) + "]";
            }
        }
        throw new IndexOutOfBoundsException(index);
    }

    /** The flat index of the parameter called {@code name}; an unknown name is a BAD_INPUT naming {@code parameter}. */
    public int index(String name, String parameter) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (spec.linear()) {
            int linear = ParamName.parse(n, inputs(), parameter);
            return linear == 0 ? biasOffset[1] : weightOffset[1] + linear - 1;
        }
        Matcher m = NAME.matcher(n);
        if (m.matches()) {
            int l = Integer.parseInt(m.group(2));
            boolean weight = m.group(1).equals("w");
            if (l >= 1 && l <= layers() && weight == (m.group(4) != null)) {
                int row = Integer.parseInt(m.group(3));
                int column = weight ? Integer.parseInt(m.group(4)) : 0;
                if (row < sizes[l] && column < sizes[l - 1]) {
                    return weight ? weightOffset[l] + row * sizes[l - 1] + column : biasOffset[l] + row;
                }
            }
        }
        throw LossgridException.badInput(param(parameter) + ": unknown parameter '" + name + "'; " + spec + " on "
                + inputs() + (inputs() == 1 ? " input has " : " inputs has ") + layout());
    }

    /** The parameter blocks: W1[i,j] (10 x 1), b1[i] (10), ..., b2[0]. */
    private String layout() {
        StringBuilder s = new StringBuilder();
        for (int l = 1; l <= layers(); l++) {
            s.append(l == 1 ? "" : ", ").append("W").append(l).append("[i,j] (").append(sizes[l]).append(" x ")
                    .append(sizes[l - 1]).append("), b").append(l).append(sizes[l] == 1 ? "[0]" : "[i] (" + sizes[l] + ")");
        }
        return s.toString();
    }

    /**
     * Seeded initial parameters: weights drawn from N(0, s^2) with He's s = sqrt(2 / fan_in) for ReLU
     * layers and Xavier's s = sqrt(2 / (fan_in + fan_out)) for sigmoid and the output layer; biases 0.
     */
    public double[] initial(long seed) {
        Random random = new Random(seed);
        double[] theta = new double[parameterCount];
        for (int l = 1; l <= layers(); l++) {
            int in = sizes[l - 1];
            int out = sizes[l];
            boolean he = spec.activation() == ModelSpec.Activation.RELU && l < layers();
            double sd = he ? Math.sqrt(2.0 / in) : Math.sqrt(2.0 / (in + out));
            for (int w = 0; w < in * out; w++) {
                theta[weightOffset[l] + w] = sd * random.nextGaussian();
            }
        }
        return theta;
    }

    /**
     * yhat = W_(L+1) h_L + b_(L+1) with h_0 = x and h_l = act(W_l h_(l-1) + b_l): the network in the units
     * it was trained in (standardized, where the model is scaled).
     */
    public double forward(double[] theta, double[] x) {
        double[] h = x;
        for (int l = 1; l <= layers(); l++) {
            int in = sizes[l - 1];
            double[] next = new double[sizes[l]];
            for (int o = 0; o < next.length; o++) {
                double z = theta[biasOffset[l] + o];
                int row = weightOffset[l] + o * in;
                for (int i = 0; i < in; i++) {
                    z += theta[row + i] * h[i];
                }
                next[o] = l < layers() ? spec.activation().apply(z) : z;
            }
            h = next;
        }
        return h[0];
    }

    /** theta = centre + alpha d1 + beta d2, rounded to float32 as a device receives it; alpha = beta = 0 gives float(centre) */
    public static float[] planePoint(double[] centre, double[] d1, double[] d2, double alpha, double beta, float[] out) {
        for (int j = 0; j < centre.length; j++) {
            out[j] = (float) (centre[j] + alpha * d1[j] + beta * d2[j]);
        }
        return out;
    }

    @Override
    public String toString() {
        return spec + " on " + inputs() + (inputs() == 1 ? " input, " : " inputs, ") + parameterCount + " parameters";
    }
}
