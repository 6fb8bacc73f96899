package org.lossgrid.backend;

import java.util.Arrays;

import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.Network;

/**
 * A network's forward and backward passes as the device backends run them: the same sequence of
 * kernel launches on OpenCL and CUDA ({@code net_*} in their kernel files, the arithmetic in
 * {@code kernels/common/loss_math.h}), which each device implements as a {@link Device}. Every launch
 * covers several parameter sets at once (the networks of a {@code --seeds} or {@code --lr-sweep} step,
 * or the points of a landscape tile), each with its own buffers. Samples go through in chunks of at
 * most {@link #CHUNK}, so the activation buffers stay small whatever N is; each chunk's sums come back
 * as compensated float pairs that are added here in double. Per chunk: gather the inputs, one launch per
 * layer forward, the output layer's loss and delta, then per layer from the output down the weight
 * gradient and, below the first layer, the delta of the layer before.
 */
public final class NetworkPasses {
    /** Samples per chunk: the activation buffers hold (sum of layer sizes) x CHUNK floats per set. */
    public static final int CHUNK = 4096;
    /** The most parameter sets in one launch (CUDA's gridDim.y is at most 65535). */
    public static final int MAX_SETS = 1024;
    /** Floats of device buffers that one pass may use for its sets: 256 MiB. */
    static final long BUDGET_FLOATS = 64L << 20;

    /** A device's buffers and launches; each method other than the sizing and the uploads is one launch over every set. */
    public interface Device {
        /**
         * Starts a pass of {@code sets} parameter sets with the kernels of {@code loss}, and grows the buffers
         * to these sizes per set, in floats (ints for the rows); the uploads below fit them.
         */
        void begin(Loss loss, int sets, int parameters, int rows, long activations, long deltas);

        /** Every set's parameters, set s at {@code flat[s * P ..]}: the only per-step upload besides the row indices. */
        void theta(float[] flat);

        /** Every set's {@code m} row indices into the resident samples, set s at {@code flat[s * m ..]}. */
        void rows(int[] flat);

        /** a_0[j, s] = x_j(rows[s]) for the chunk's m samples of every set */
        void gather(int m);

        /** a_l = act(W_l a_(l-1) + b_l) over the chunk, read at activation offset {@code from}, written at {@code to} */
        void forward(int weights, int biases, int in, int out, int m, long from, long to, int activation);

        /** delta buffer 0 = -slope(e) at the output; adds sum_s term(e_s) over the chunk to each set's {@code sums} */
        void output(int m, long output, double[] sums);

        /** The (hi, lo) sums of delta_l a_(l-1)^T and of delta_l into the gradient buffer, from delta buffer {@code delta} */
        void weightGradient(int delta, long from, int in, int out, int m, int weights, int biases);

        /** delta buffer {@code 1 - delta} = act'(a_(l-1)) W_l^T (delta buffer {@code delta}) */
        void backprop(int weights, int in, int out, int m, int delta, long from, int activation);

        /** Each set's gradient buffer of (hi, lo) pairs, added into {@code gradients[s]} in double. */
        void addGradient(double[][] gradients);
    }

    private NetworkPasses() {
    }

    /** L = mean_(s in rows) term(y_s - net(theta, x_s)) and dL/dtheta by backpropagation */
    public static LossGradient lossAndGradient(Device device, int samples, int features, Loss loss, Network network,
            float[] theta, int[] rows) {
        return lossAndGradientBatch(device, samples, features, loss, network, new float[][] {theta}, new int[][] {rows})[0];
    }

    /**
     * For each set s, the loss of {@code thetas[s]} on its minibatch {@code rows[s]} and its gradient; sets
     * with minibatches of one size share every launch.
     */
    public static LossGradient[] lossAndGradientBatch(Device device, int samples, int features, Loss loss,
            Network network, float[][] thetas, int[][] rows) {
        if (rows.length != thetas.length) {
            throw new IllegalArgumentException(thetas.length + " parameter vectors but " + rows.length + " minibatches");
        }
        for (int s = 0; s < thetas.length; s++) {
            check(network, features, thetas[s]);
            for (int row : rows[s]) {
                if (row < 0 || row >= samples) {
                    throw new IndexOutOfBoundsException("row " + row + " of " + samples + " samples");
                }
            }
        }
        LossGradient[] results = new LossGradient[thetas.length];
        int first = 0;
        while (first < thetas.length) {
            int size = rows[first].length;
            int chunk = Math.max(1, Math.min(CHUNK, size));
            int end = first + 1;
            int most = setsPerPass(network, chunk);
            while (end < thetas.length && end - first < most && rows[end].length == size) {
                end++;
            }
            LossGradient[] part = pass(device, loss, network, Arrays.copyOfRange(thetas, first, end),
                    Arrays.copyOfRange(rows, first, end), chunk);
            System.arraycopy(part, 0, results, first, part.length);
            first = end;
        }
        return results;
    }

    /** One pass of sets whose minibatches have the same size: forward and backward, chunk by chunk. */
    private static LossGradient[] pass(Device device, Loss loss, Network network, float[][] thetas, int[][] rows,
            int chunk) {
        int sets = thetas.length;
        int size = rows[0].length;
        int layers = network.layers();
        device.begin(loss, sets, network.parameterCount(), chunk, activationFloats(network, chunk),
                widest(network) * (long) chunk);
        device.theta(flatten(thetas));
        double[] sums = new double[sets];
        double[][] gradients = new double[sets][network.parameterCount()];
        for (int first = 0; first < size; first += chunk) {
            int m = Math.min(chunk, size - first);
            device.rows(flatten(rows, first, m));
            device.gather(m);
            forward(device, network, m, sums);
            int delta = 0;
            for (int l = layers; l >= 1; l--) {
                long from = offset(network, l - 1, m);
                device.weightGradient(delta, from, network.size(l - 1), network.size(l), m, network.weightOffset(l),
                        network.biasOffset(l));
                if (l > 1) {
                    device.backprop(network.weightOffset(l), network.size(l - 1), network.size(l), m, delta, from,
                            activation(network));
                    delta = 1 - delta;
                }
            }
            device.addGradient(gradients);
        }
        double scale = 1.0 / Math.max(1, size);
        LossGradient[] results = new LossGradient[sets];
        for (int s = 0; s < sets; s++) {
            for (int p = 0; p < gradients[s].length; p++) {
                gradients[s][p] *= scale;
            }
            results[s] = new LossGradient(sums[s] * scale, gradients[s]);
        }
        return results;
    }

    /** losses[s] = mean_i term(y_i - net(thetas[s], x_i)) over all samples, as many sets per launch as fit */
    public static double[] losses(Device device, int samples, int features, Loss loss, Network network, float[][] thetas) {
        for (float[] theta : thetas) {
            check(network, features, theta);
        }
        int chunk = Math.max(1, Math.min(CHUNK, samples));
        int most = setsPerPass(network, chunk);
        double[] losses = new double[thetas.length];
        for (int first = 0; first < thetas.length; first += most) {
            int sets = Math.min(most, thetas.length - first);
            device.begin(loss, sets, network.parameterCount(), chunk, activationFloats(network, chunk),
                    widest(network) * (long) chunk);
            device.theta(flatten(Arrays.copyOfRange(thetas, first, first + sets)));
            int[] all = new int[samples];
            Arrays.setAll(all, i -> i);
            int[][] rows = new int[sets][];
            Arrays.fill(rows, all);
            double[] sums = new double[sets];
            for (int from = 0; from < samples; from += chunk) {
                int m = Math.min(chunk, samples - from);
                device.rows(flatten(rows, from, m));
                device.gather(m);
                forward(device, network, m, sums);
            }
            for (int s = 0; s < sets; s++) {
                losses[first + s] = sums[s] / Math.max(1, samples);
            }
        }
        return losses;
    }

    /** The forward pass of a gathered chunk and its output layer; adds each set's sum_s term(e_s) to {@code sums} */
    private static void forward(Device device, Network network, int m, double[] sums) {
        int layers = network.layers();
        for (int l = 1; l <= layers; l++) {
            device.forward(network.weightOffset(l), network.biasOffset(l), network.size(l - 1), network.size(l), m,
                    offset(network, l - 1, m), offset(network, l, m),
                    l < layers ? activation(network) : ModelSpec.Activation.NONE.ordinal());
        }
        device.output(m, offset(network, layers, m), sums);
    }

    /** flat[s * P + j] = thetas[s][j] */
    private static float[] flatten(float[][] thetas) {
        int parameters = thetas[0].length;
        float[] flat = new float[thetas.length * parameters];
        for (int s = 0; s < thetas.length; s++) {
            System.arraycopy(thetas[s], 0, flat, s * parameters, parameters);
        }
        return flat;
    }

    /** flat[s * m + i] = rows[s][first + i], i < m */
    private static int[] flatten(int[][] rows, int first, int m) {
        int[] flat = new int[rows.length * m];
        for (int s = 0; s < rows.length; s++) {
            System.arraycopy(rows[s], first, flat, s * m, m);
        }
        return flat;
    }

    /** As many sets as fit the budget: activations, two delta buffers, theta and its gradient pairs per set */
    private static int setsPerPass(Network network, int chunk) {
        long perSet = activationFloats(network, chunk) + 2L * widest(network) * chunk + 3L * network.parameterCount()
                + chunk;
        return (int) Math.max(1, Math.min(MAX_SETS, BUDGET_FLOATS / perSet));
    }

    /** The kernels' activation id: the ordinal of ModelSpec.Activation, as the LG_ACT_* ids of loss_math.h */
    private static int activation(Network network) {
        return network.spec().activation().ordinal();
    }

    /** Where layer l's outputs start in a set's activations: sum_(l' < l) size(l') m */
    private static long offset(Network network, int l, int m) {
        long offset = 0;
        for (int layer = 0; layer < l; layer++) {
            offset += (long) network.size(layer) * m;
        }
        return offset;
    }

    private static long activationFloats(Network network, int m) {
        return offset(network, network.layers() + 1, m);
    }

    private static int widest(Network network) {
        int widest = 1;
        for (int l = 0; l <= network.layers(); l++) {
            widest = Math.max(widest, network.size(l));
        }
        return widest;
    }

    private static void check(Network network, int features, float[] theta) {
        if (network.inputs() != features) {
            throw new IllegalArgumentException(network + " on samples with " + features + " features");
        }
        if (theta.length != network.parameterCount()) {
            throw new IllegalArgumentException(theta.length + " parameters for " + network);
        }
    }
}
