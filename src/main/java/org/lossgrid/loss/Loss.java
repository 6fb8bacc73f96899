package org.lossgrid.loss;

import static org.lossgrid.error.LossgridException.param;

import java.util.List;
import java.util.Locale;

import org.lossgrid.error.LossgridException;

/**
 * A per-sample loss of the residual {@code e = y - yhat}; the dataset loss is {@code L = mean_i term(e_i)}.
 * Gradients follow from {@link #slope}: {@code dL/db = -mean(slope(e))},
 * {@code dL/dw_j = -mean(slope(e) * x_j)}.
 *
 * <p>Device kernels select the same arithmetic by {@link #kernelId()}, the {@code LOSS_*} constant of
 * {@code kernels/common/loss_math.h}. A new loss (Huber, say) is a new implementation here plus a case
 * in that header and in the CPU backend's specialised loops.
 */
public sealed interface Loss permits Loss.Mae, Loss.Mse {
    Loss MAE = new Mae();
    Loss MSE = new Mse();

    /** The CLI name: {@code mae} or {@code mse}. */
    String name();

    /** The {@code LOSS_*} id shared with the kernels. */
    int kernelId();

    /** term(e), the loss of one sample with residual e */
    double term(double e);

    /** d term / d e, a subgradient where term is not differentiable */
    double slope(double e);

    /** The loss of residuals scaled by s, from the loss of the unscaled ones: L(s e) = rescale(L(e), s). */
    double rescale(double loss, double s);

    static List<Loss> all() {
        return List.of(MAE, MSE);
    }

    static Loss parse(String name) {
        for (Loss loss : all()) {
            if (loss.name().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return loss;
            }
        }
        throw LossgridException.badInput(param("loss") + ": unknown loss '" + name + "'; choose mae or mse");
    }

    /** Mean absolute error, the book's loss: term = |e|. */
    record Mae() implements Loss {
        @Override
        public String name() {
            return "mae";
        }

        @Override
        public int kernelId() {
            return 0;
        }

        /** |e| */
        @Override
        public double term(double e) {
            return Math.abs(e);
        }

        /** sign(e), with sign(0) = 0 */
        @Override
        public double slope(double e) {
            return Math.signum(e);
        }

        /** |s e| = s |e| */
        @Override
        public double rescale(double loss, double s) {
            return loss * Math.abs(s);
        }
    }

    /** Mean squared error: term = e^2. */
    record Mse() implements Loss {
        @Override
        public String name() {
            return "mse";
        }

        @Override
        public int kernelId() {
            return 1;
        }

        /** e^2 */
        @Override
        public double term(double e) {
            return e * e;
        }

        /** 2e */
        @Override
        public double slope(double e) {
            return 2 * e;
        }

        /** (s e)^2 = s^2 e^2 */
        @Override
        public double rescale(double loss, double s) {
            return loss * s * s;
        }
    }
}
