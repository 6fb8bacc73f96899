package org.lossgrid.backend;

/** A loss value and its gradient in flat parameter order [dL/db, dL/dw1, ..., dL/dwk]. */
public record LossGradient(double loss, double[] gradient) {
    public LossGradient {
        gradient = gradient.clone();
    }

    @Override
    public double[] gradient() {
        return gradient.clone();
    }

    public double gradient(int index) {
        return gradient[index];
    }

    /** ||grad||_2 */
    public double gradientNorm() {
        double sum = 0;
        for (double g : gradient) {
            sum += g * g;
        }
        return Math.sqrt(sum);
    }
}
