package org.lossgrid.model;

/**
 * The standardization a model was trained under: {@code x'_j = (x_j - xMean_j) / xSd_j} and
 * {@code y = yMean + ySd * y'}.
 */
public record Scale(double[] xMean, double[] xSd, double yMean, double ySd) {
    public Scale {
        xMean = xMean.clone();
        xSd = xSd.clone();
    }

    @Override
    public double[] xMean() {
        return xMean.clone();
    }

    @Override
    public double[] xSd() {
        return xSd.clone();
    }

    /** h0_j = (x_j - xMean_j) / xSd_j */
    public double[] input(double[] x) {
        double[] h = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            h[j] = (x[j] - xMean[j]) / xSd[j];
        }
        return h;
    }

    /** y = yMean + ySd * y' */
    public double output(double scaled) {
        return yMean + ySd * scaled;
    }
}
