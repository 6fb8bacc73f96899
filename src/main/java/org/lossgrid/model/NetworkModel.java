package org.lossgrid.model;

/**
 * A trained member of the family, as a params file holds it: the network, the loss it was trained on
 * (with Huber's delta; null for the other losses), the scale of its inputs and target (null: none) and
 * its flat parameters (the order of {@link Network}).
 */
public record NetworkModel(Network network, String loss, Double delta, Scale scale, double[] theta) {
    /** A model of a loss without a parameter. */
    public NetworkModel(Network network, String loss, Scale scale, double[] theta) {
        this(network, loss, null, scale, theta);
    }

    public NetworkModel {
        if (theta.length != network.parameterCount()) {
            throw new IllegalArgumentException(theta.length + " parameters for " + network);
        }
        theta = theta.clone();
    }

    /** The linear model {@code y = b + w . x} as a params file holds it: the single layer W1 = [w1..wk], b1 = [b], unscaled; delta as in the record. */
    public static NetworkModel linear(Params params, String loss, Double delta) {
        int k = params.features();
        double[] theta = new double[k + 1];
        System.arraycopy(params.w(), 0, theta, 0, k);
        theta[k] = params.b();
        return new NetworkModel(new Network(ModelSpec.LINEAR, k), loss, delta, null, theta);
    }

    @Override
    public double[] theta() {
        return theta.clone();
    }

    /** yhat = y_mean + y_sd * net((x - x_mean) / x_sd), or net(x) when the model is not scaled */
    public double predict(double[] x) {
        return scale == null ? network.forward(theta, x) : scale.output(network.forward(theta, scale.input(x)));
    }
}
