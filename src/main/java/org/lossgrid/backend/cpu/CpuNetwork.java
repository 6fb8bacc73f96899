package org.lossgrid.backend.cpu;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.lossgrid.backend.LossGradient;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.Network;

/**
 * Networks on the CPU backend: forward and backward passes over the resident samples in chunks of at
 * most {@value #CHUNK}. Within a chunk of m samples every layer's activations are one array, unit-major
 * with the sample innermost ({@code act[u * m + s]}), so the forward pass and the backward pass through
 * the weights are axpys over the chunk's samples, which C2 vectorises; the weight gradient
 * {@code dW = delta a^T} runs over a sample-major copy of {@code a}, an axpy over the layer's inputs. The parameters arrive as float32, as a device receives them, and are widened
 * once; everything after runs in double, and chunks are reduced in a fixed order, so results do not
 * depend on the number of threads. Chunks run in parallel on the backend's pool.
 */
final class CpuNetwork {
    /** Samples per chunk: the unit of parallel work and the stride of the activation arrays. */
    static final int CHUNK = 256;
    /** Points of a plane per task: each unit's first-layer values are reused by this many points. */
    static final int PLANE_BLOCK = 16;

    private final double[][] x;
    private final double[] y;
    private final ForkJoinPool pool;

    /** {@code x[j][i]}, feature-major as the dataset holds it, and {@code y[i]}; neither is copied. */
    CpuNetwork(double[][] x, double[] y, ForkJoinPool pool) {
        this.x = x;
        this.y = y;
        this.pool = pool;
    }

    /**
     * For each set s: L_s = mean_(i in rows[s]) term(e_i), e_i = y_i - net(thetas[s], x_i), and dL_s/dtheta by
     * backpropagation; every (set, chunk) pair is a parallel task, and each set's chunks are summed in order.
     */
    LossGradient[] lossAndGradient(Loss loss, Network network, float[][] thetas, int[][] rows) {
        if (rows.length != thetas.length) {
            throw new IllegalArgumentException(thetas.length + " parameter vectors but " + rows.length + " minibatches");
        }
        int sets = thetas.length;
        double[][] w = new double[sets][];
        int[] firstTask = new int[sets + 1];
        for (int s = 0; s < sets; s++) {
            w[s] = widen(thetas[s], network);
            for (int row : rows[s]) {
                if (row < 0 || row >= y.length) {
                    throw new IndexOutOfBoundsException("row " + row + " of " + y.length + " samples");
                }
            }
            firstTask[s + 1] = firstTask[s] + (rows[s].length + CHUNK - 1) / CHUNK;
        }
        double[] losses = new double[firstTask[sets]];
        double[][] gradients = new double[firstTask[sets]][];
        pool.submit(() -> IntStream.range(0, sets).parallel().forEach(s ->
                IntStream.range(firstTask[s], firstTask[s + 1]).parallel().forEach(task -> {
                    int from = (task - firstTask[s]) * CHUNK;
                    Pass pass = new Pass(network, w[s], rows[s], from, Math.min(rows[s].length, from + CHUNK));
                    pass.forward();
                    gradients[task] = new double[network.parameterCount()];
                    losses[task] = pass.backward(loss, gradients[task]);
                }))).join();
        LossGradient[] results = new LossGradient[sets];
        for (int s = 0; s < sets; s++) {
            double[] gradient = new double[network.parameterCount()];
            double sum = 0;
            for (int task = firstTask[s]; task < firstTask[s + 1]; task++) {
                sum += losses[task];
                double[] part = gradients[task];
                for (int p = 0; p < gradient.length; p++) {
                    gradient[p] += part[p];
                }
            }
            double scale = 1.0 / Math.max(1, rows[s].length);
            for (int p = 0; p < gradient.length; p++) {
                gradient[p] *= scale;
            }
            results[s] = new LossGradient(sum * scale, gradient);
        }
        return results;
    }

    /** losses[s] = mean_i term(y_i - net(thetas[s], x_i)) over every sample, each (set, chunk) a parallel task */
    double[] losses(Loss loss, Network network, float[][] thetas) {
        int n = y.length;
        int chunks = (n + CHUNK - 1) / CHUNK;
        int[] all = IntStream.range(0, n).toArray();
        double[][] w = new double[thetas.length][];
        for (int s = 0; s < thetas.length; s++) {
            w[s] = widen(thetas[s], network);
        }
        double[] partial = new double[thetas.length * chunks];
        pool.submit(() -> IntStream.range(0, partial.length).parallel().forEach(task -> {
            int c = task % chunks;
            Pass pass = new Pass(network, w[task / chunks], all, c * CHUNK, Math.min(n, (c + 1) * CHUNK));
            pass.forward();
            partial[task] = pass.lossSum(loss);
        })).join();
        double[] result = new double[thetas.length];
        for (int s = 0; s < thetas.length; s++) {
            double sum = 0;
            for (int c = 0; c < chunks; c++) {
                sum += partial[s * chunks + c];
            }
            result[s] = sum / n;
        }
        return result;
    }

    /**
     * losses[p] = mean_i term(y_i - net(centre + alpha_p d1 + beta_p d2, x_i)) for a network with one hidden
     * layer, by the plane's structure: the pre-activations are affine in (alpha, beta),
     * z_h,i = z*_h,i + alpha u_h,i + beta v_h,i, with z*, u and v the first layer of centre, d1 and d2
     * applied to x_i once, so a point costs 2 multiply-adds, the activation and the output weight per unit
     * and sample instead of a pass through the first layer. The points go in blocks of {@value #PLANE_BLOCK},
     * each unit's z*, u and v streaming once through a block while they are in cache; the per-sample
     * arithmetic is float32, as on a device, and each point's loss is summed in double. Blocks run in
     * parallel on the backend's pool.
     */
    double[] plane(Loss loss, Network network, double[] centre, double[] d1, double[] d2, double[] alphas,
            double[] betas) {
        if (network.layers() != 2 || network.inputs() != x.length) {
            throw new IllegalArgumentException("the affine plane takes one hidden layer on " + x.length + " inputs, not "
                    + network);
        }
        float[][] base = firstLayer(network, centre);
        float[][] along1 = firstLayer(network, d1);
        float[][] along2 = firstLayer(network, d2);
        double[] losses = new double[alphas.length];
        int blocks = (alphas.length + PLANE_BLOCK - 1) / PLANE_BLOCK;
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(block -> {
            int first = block * PLANE_BLOCK;
            int end = Math.min(alphas.length, first + PLANE_BLOCK);
            planeBlock(loss, network, centre, d1, d2, alphas, betas, first, end, base, along1, along2, losses);
        })).join();
        return losses;
    }

    /** The points first..end of {@link #plane}: yhat_p = b2_p + sum_h c_h,p act(z*_h + alpha_p u_h + beta_p v_h) */
    private void planeBlock(Loss loss, Network network, double[] centre, double[] d1, double[] d2, double[] alphas,
            double[] betas, int first, int end, float[][] base, float[][] along1, float[][] along2, double[] losses) {
        int n = y.length;
        int weights = network.weightOffset(2);
        int bias = network.biasOffset(2);
        ModelSpec.Activation activation = network.spec().activation();
        float[][] yhat = new float[end - first][n];
        float[] z = new float[n];
        for (int p = first; p < end; p++) {
            Arrays.fill(yhat[p - first], (float) (centre[bias] + alphas[p] * d1[bias] + betas[p] * d2[bias]));
        }
        for (int h = 0; h < base.length; h++) {
            float[] zh = base[h];
            float[] uh = along1[h];
            float[] vh = along2[h];
            for (int p = first; p < end; p++) {
                float alpha = (float) alphas[p];
                float beta = (float) betas[p];
                float c = (float) (centre[weights + h] + alphas[p] * d1[weights + h] + betas[p] * d2[weights + h]);
                float[] out = yhat[p - first];
                for (int i = 0; i < n; i++) {
                    z[i] = zh[i] + alpha * uh[i] + beta * vh[i];
                }
                activate(activation, z);
                for (int i = 0; i < n; i++) {
                    out[i] += c * z[i];
                }
            }
        }
        for (int p = first; p < end; p++) {
            float[] out = yhat[p - first];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += loss.term(y[i] - out[i]);
            }
            losses[p] = sum / Math.max(1, n);
        }
    }

    /** out[h][i] = b_1[h] + sum_j W_1[h, j] x_j(i): the first layer of parameters {@code theta} on every sample, in double, rounded once */
    private float[][] firstLayer(Network network, double[] theta) {
        int units = network.size(1);
        int inputs = network.inputs();
        float[][] out = new float[units][y.length];
        double[] row = new double[y.length];
        for (int h = 0; h < units; h++) {
            Arrays.fill(row, theta[network.biasOffset(1) + h]);
            for (int j = 0; j < inputs; j++) {
                double w = theta[network.weightOffset(1) + h * inputs + j];
                double[] column = x[j];
                for (int i = 0; i < row.length; i++) {
                    row[i] += w * column[i];
                }
            }
            for (int i = 0; i < row.length; i++) {
                out[h][i] = (float) row[i];
            }
        }
        return out;
    }

    /** z <- act(z) in place, in float32 */
    private static void activate(ModelSpec.Activation activation, float[] z) {
        switch (activation) {
            case RELU -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = Math.max(0f, z[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) (1 / (1 + Math.exp(-z[i])));
                }
            }
            case NONE -> {
                // the identity
            }
        }
    }

    /** z <- act(z) in place */
    private static void activate(ModelSpec.Activation activation, double[] z) {
        switch (activation) {
            case RELU -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = Math.max(0, z[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = 1 / (1 + Math.exp(-z[i]));
                }
            }
            case NONE -> {
                // the identity
            }
        }
    }

    private double[] widen(float[] theta, Network network) {
        if (network.inputs() != x.length) {
            throw new IllegalArgumentException(network + " on samples with " + x.length + " features");
        }
        if (theta.length != network.parameterCount()) {
            throw new IllegalArgumentException(theta.length + " parameters for " + network);
        }
        double[] w = new double[theta.length];
        for (int p = 0; p < w.length; p++) {
            w[p] = theta[p];
        }
        return w;
    }

    /** One chunk of samples through the network: its activations, loss and gradient. */
    private final class Pass {
        private final Network network;
        private final double[] w;
        private final int[] rows;
        private final int first;
        private final int m;
        /** act[l][u * m + s]: layer l's output for unit u and sample s of the chunk; act[0] is the input. */
        private final double[][] act;

        Pass(Network network, double[] w, int[] rows, int first, int end) {
            this.network = network;
            this.w = w;
            this.rows = rows;
            this.first = first;
            this.m = end - first;
            this.act = new double[network.layers() + 1][];
            for (int l = 0; l <= network.layers(); l++) {
                act[l] = new double[network.size(l) * m];
            }
        }

        /** act_0 = x of the chunk's rows; act_l = act(W_l act_(l-1) + b_l), the last layer without act */
        void forward() {
            double[] input = act[0];
            for (int j = 0; j < network.inputs(); j++) {
                double[] column = x[j];
                int at = j * m;
                for (int s = 0; s < m; s++) {
                    input[at + s] = column[rows[first + s]];
                }
            }
            int layers = network.layers();
            for (int l = 1; l <= layers; l++) {
                affine(l);
                if (l < layers) {
                    activate(network.spec().activation(), act[l]);
                }
            }
        }

        /** z[o, s] = b_l[o] + sum_i W_l[o, i] a[i, s], an axpy over the samples per weight */
        private void affine(int l) {
            int in = network.size(l - 1);
            int out = network.size(l);
            double[] a = act[l - 1];
            double[] z = act[l];
            int weights = network.weightOffset(l);
            int biases = network.biasOffset(l);
            for (int o = 0; o < out; o++) {
                int zo = o * m;
                double bias = w[biases + o];
                for (int s = 0; s < m; s++) {
                    z[zo + s] = bias;
                }
                int row = weights + o * in;
                for (int i = 0; i < in; i++) {
                    double wi = w[row + i];
                    int ai = i * m;
                    for (int s = 0; s < m; s++) {
                        z[zo + s] += wi * a[ai + s];
                    }
                }
            }
        }

        /** sum_s term(y_s - yhat_s) over the chunk */
        double lossSum(Loss loss) {
            double[] yhat = act[network.layers()];
            double sum = 0;
            for (int s = 0; s < m; s++) {
                sum += loss.term(y[rows[first + s]] - yhat[s]);
            }
            return sum;
        }

        /**
         * Adds this chunk's sum_s dterm_s/dtheta to {@code gradient} and returns sum_s term_s. The output
         * delta is dterm/dyhat = -slope(e); delta_(l-1) = (W_l^T delta_l) * act'(z_(l-1)), dW_l = delta_l a_(l-1)^T.
         */
        double backward(Loss loss, double[] gradient) {
            int layers = network.layers();
            double[] delta = new double[m];
            double[] yhat = act[layers];
            double sum = 0;
            for (int s = 0; s < m; s++) {
                double e = y[rows[first + s]] - yhat[s];
                sum += loss.term(e);
                delta[s] = -loss.slope(e);
            }
            for (int l = layers; l >= 1; l--) {
                int in = network.size(l - 1);
                int out = network.size(l);
                double[] a = act[l - 1];
                int weights = network.weightOffset(l);
                int biases = network.biasOffset(l);
                double[] sampleMajor = transpose(a, in);
                for (int o = 0; o < out; o++) {
                    int d = o * m;
                    gradient[biases + o] += sum(delta, d);
                    int row = weights + o * in;
                    for (int s = 0; s < m; s++) {
                        double ds = delta[d + s];
                        if (ds != 0) {
                            int base = s * in;
                            for (int i = 0; i < in; i++) {
                                gradient[row + i] += ds * sampleMajor[base + i];
                            }
                        }
                    }
                }
                if (l > 1) {
                    double[] previous = new double[in * m];
                    for (int o = 0; o < out; o++) {
                        int d = o * m;
                        int row = weights + o * in;
                        for (int i = 0; i < in; i++) {
                            double wi = w[row + i];
                            int p = i * m;
                            for (int s = 0; s < m; s++) {
                                previous[p + s] += wi * delta[d + s];
                            }
                        }
                    }
                    scaleBySlope(network.spec().activation(), previous, a, in);
                    delta = previous;
                }
            }
            return sum;
        }

        /** delta[u, s] *= act'(z[u, s]), from a = act(z): a (1 - a) for sigmoid, [a > 0] for relu */
        private void scaleBySlope(ModelSpec.Activation activation, double[] delta, double[] a, int units) {
            for (int u = 0; u < units; u++) {
                int at = u * m;
                switch (activation) {
                    case RELU -> {
                        for (int s = 0; s < m; s++) {
                            delta[at + s] = a[at + s] > 0 ? delta[at + s] : 0;
                        }
                    }
                    case SIGMOID -> {
                        for (int s = 0; s < m; s++) {
                            delta[at + s] *= a[at + s] * (1 - a[at + s]);
                        }
                    }
                    case NONE -> {
                        // slope 1
                    }
                }
            }
        }

        /** sum_s v[from + s], four interleaved partial sums */
        private double sum(double[] v, int from) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int s = 0;
            for (; s + 3 < m; s += 4) {
                s0 += v[from + s];
                s1 += v[from + s + 1];
                s2 += v[from + s + 2];
                s3 += v[from + s + 3];
            }
            for (; s < m; s++) {
                s0 += v[from + s];
            }
            return (s0 + s1) + (s2 + s3);
        }

        /** out[s * units + u] = a[u * m + s]: the chunk's activations sample-major */
        private double[] transpose(double[] a, int units) {
            double[] out = new double[units * m];
            for (int u = 0; u < units; u++) {
                int from = u * m;
                for (int s = 0; s < m; s++) {
                    out[s * units + u] = a[from + s];
                }
            }
            return out;
        }
    }
}
