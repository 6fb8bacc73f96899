package org.lossgrid.reference;

import org.lossgrid.backend.LossGradient;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;
import org.lossgrid.model.NetworkModel;

/**
 * The double-precision reference for networks: one sample at a time, the forward pass of
 * {@link Network#forward} and textbook backpropagation, no blocking. Every backend's network operations
 * are tested against it, and it is itself tested against finite differences.
 */
public final class NetworkReference {
    private NetworkReference() {
    }

    /** L = mean_i term(y_i - model.predict(x_i)), in the units of the data (the saved model's formula) */
    public static double loss(Loss loss, Dataset data, NetworkModel model) {
        double sum = 0;
        for (int i = 0; i < data.n(); i++) {
            sum += loss.term(data.y(i) - model.predict(data.row(i)));
        }
        return sum / data.n();
    }

    /** L = mean_i term(y_i - net(theta, x_i)) */
    public static double loss(Loss loss, Dataset data, Network network, double[] theta) {
        double sum = 0;
        for (int i = 0; i < data.n(); i++) {
            sum += loss.term(data.y(i) - network.forward(theta, data.row(i)));
        }
        return sum / data.n();
    }

    /**
     * L and dL/dtheta = mean_i dterm_i/dtheta: delta_out = -slope(e_i), delta_(l-1) = (W_l^T delta_l) act'(z_(l-1)),
     * dW_l += delta_l h_(l-1)^T, db_l += delta_l
     */
    public static LossGradient lossAndGradient(Loss loss, Dataset data, Network network, double[] theta) {
        int layers = network.layers();
        double[] gradient = new double[network.parameterCount()];
        double sum = 0;
        for (int i = 0; i < data.n(); i++) {
            double[][] h = new double[layers + 1][];
            h[0] = data.row(i);
            for (int l = 1; l <= layers; l++) {
                h[l] = new double[network.size(l)];
                for (int o = 0; o < h[l].length; o++) {
                    double z = theta[network.biasOffset(l) + o];
                    for (int j = 0; j < h[l - 1].length; j++) {
                        z += theta[network.weightOffset(l) + o * h[l - 1].length + j] * h[l - 1][j];
                    }
                    h[l][o] = l < layers ? network.spec().activation().apply(z) : z;
                }
            }
            double e = data.y(i) - h[layers][0];
            sum += loss.term(e);
            double[] delta = {-loss.slope(e)};
            for (int l = layers; l >= 1; l--) {
                int in = network.size(l - 1);
                double[] previous = new double[in];
                for (int o = 0; o < delta.length; o++) {
                    gradient[network.biasOffset(l) + o] += delta[o];
                    for (int j = 0; j < in; j++) {
                        int at = network.weightOffset(l) + o * in + j;
                        gradient[at] += delta[o] * h[l - 1][j];
                        previous[j] += theta[at] * delta[o];
                    }
                }
                if (l > 1) {
                    for (int j = 0; j < in; j++) {
                        previous[j] *= network.spec().activation().slopeFromOutput(h[l - 1][j]);
                    }
                }
                delta = previous;
            }
        }
        for (int p = 0; p < gradient.length; p++) {
            gradient[p] /= data.n();
        }
        return new LossGradient(sum / data.n(), gradient);
    }
}
