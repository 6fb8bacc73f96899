package org.lossgrid.backend;

import java.util.Arrays;

import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.Network;

/**
 * A network's forward and backward passes as the device backends run them: the same sequence of
 * kernel launches on OpenCL and CUDA ({@code net_*} in their kernel files, the arithmetic in
 * {@code kernels/common/loss_math.h}), which each device implements as a {@link Device}. Samples go
 * through in chunks of at most {@link #CHUNK}, so the activation buffers stay small whatever N is; each
 * chunk's sums come back as compensated float pairs that are added here in double. Per chunk:
 * gather the inputs, one launch per layer forward, the output layer's loss and delta, then per layer
 * from the output down the weight gradient and, below the first layer, the delta of the layer before.
 */
public final class NetworkPasses {
    /** Samples per chunk: the activation buffers hold (sum of layer sizes) x CHUNK floats. */
    public static final int CHUNK = 4096;

    /** A device's buffers and launches; each method other than the sizing and the uploads is one launch. */
    public interface Device {
        /**
         * Starts a pass with the kernels of {@code loss}, and grows the buffers to these sizes in floats (ints
         * for the rows); the uploads below fit them.
         */
        void begin(Loss loss, int parameters, int rows, long activations, long deltas);

        /** theta on the device: the only per-step upload besides the minibatch's row indices. */
        void theta(float[] theta);

        /** The chunk's row indices into the resident samples. */
        void rows(int[] rows, int count);

        /** a_0[j, s] = x_j(rows[s]) for the chunk's m samples */
        void gather(int m);

        /** a_l = act(W_l a_(l-1) + b_l) over the chunk, read at activation offset {@code from}, written at {@code to} */
        void forward(int weights, int biases, int in, int out, int m, long from, long to, int activation);

        /** delta buffer 0 = -slope(e) at the output; returns sum_s term(e_s) over the chunk */
        double output(int m, long output);

        /** The (hi, lo) sums of delta_l a_(l-1)^T and of delta_l into the gradient buffer, from delta buffer {@code delta} */
        void weightGradient(int delta, long from, int in, int out, int m, int weights, int biases);

        /** delta buffer {@code 1 - delta} = act'(a_(l-1)) W_l^T (delta buffer {@code delta}) */
        void backprop(int weights, int in, int out, int m, int delta, long from, int activation);

        /** The gradient buffer's (hi, lo) pairs, added into {@code gradient} in double. */
        void addGradient(double[] gradient);
    }

    private NetworkPasses() {
    }

    /** L = mean_(s in rows) term(y_s - net(theta, x_s)) and dL/dtheta by backpropagation */
    public static LossGradient lossAndGradient(Device device, int samples, int features, Loss loss, Network network,
            float[] theta, int[] rows) {
        check(network, features, theta);
        for (int row : rows) {
            if (row < 0 || row >= samples) {
                throw new IndexOutOfBoundsException("row " + row + " of " + samples + " samples");
            }
        }
        int layers = network.layers();
        int chunk = Math.max(1, Math.min(CHUNK, rows.length));
        device.begin(loss, network.parameterCount(), chunk, activationFloats(network, chunk), widest(network) * (long) chunk);
        device.theta(theta);
        double sum = 0;
        double[] gradient = new double[network.parameterCount()];
        for (int first = 0; first < rows.length; first += chunk) {
            int m = Math.min(chunk, rows.length - first);
            device.rows(Arrays.copyOfRange(rows, first, first + m), m);
            device.gather(m);
            sum += forward(device, network, m);
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
            device.addGradient(gradient);
        }
        double scale = 1.0 / Math.max(1, rows.length);
        for (int p = 0; p < gradient.length; p++) {
            gradient[p] *= scale;
        }
        return new LossGradient(sum * scale, gradient);
    }

    /** losses[s] = mean_i term(y_i - net(thetas[s], x_i)) over all samples; each chunk is gathered once for every set */
    public static double[] losses(Device device, int samples, int features, Loss loss, Network network, float[][] thetas) {
        for (float[] theta : thetas) {
            check(network, features, theta);
        }
        int chunk = Math.max(1, Math.min(CHUNK, samples));
        device.begin(loss, network.parameterCount(), chunk, activationFloats(network, chunk), widest(network) * (long) chunk);
        double[] sums = new double[thetas.length];
        for (int first = 0; first < samples; first += chunk) {
            int m = Math.min(chunk, samples - first);
            int[] rows = new int[m];
            for (int s = 0; s < m; s++) {
                rows[s] = first + s;
            }
            device.rows(rows, m);
            device.gather(m);
            for (int s = 0; s < thetas.length; s++) {
                device.theta(thetas[s]);
                sums[s] += forward(device, network, m);
            }
        }
        for (int s = 0; s < sums.length; s++) {
            sums[s] /= Math.max(1, samples);
        }
        return sums;
    }

    /** The forward pass of a gathered chunk and its output layer; returns sum_s term(e_s) */
    private static double forward(Device device, Network network, int m) {
        int layers = network.layers();
        for (int l = 1; l <= layers; l++) {
            device.forward(network.weightOffset(l), network.biasOffset(l), network.size(l - 1), network.size(l), m,
                    offset(network, l - 1, m), offset(network, l, m),
                    l < layers ? activation(network) : ModelSpec.Activation.NONE.ordinal());
        }
        return device.output(m, offset(network, layers, m));
    }

    /** The kernels' activation id: the ordinal of ModelSpec.Activation, as the LG_ACT_* ids of loss_math.h */
    private static int activation(Network network) {
        return network.spec().activation().ordinal();
    }

    /** Where layer l's outputs start in the activation buffer: sum_(l' < l) size(l') m */
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
