package org.lossgrid.train;

import static org.lossgrid.error.LossgridException.param;

import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;

/**
 * How to train: {@code theta <- theta - eta_t * update(grad)} for at most {@code steps} steps, stopping
 * early when the gradient norm in the scaled space falls below {@code tolerance}. The initial
 * parameters are in original units.
 */
public record TrainConfig(Loss loss, double learningRate, int steps, double tolerance, Params init,
        Optimizer.Kind optimizer, boolean standardize, boolean intercept, Schedule schedule, int trajectoryEvery) {

    /** A loss that grows this many times over its start is divergence. */
    public static final double DIVERGENCE_FACTOR = 1e6;

    public TrainConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw LossgridException.badInput(param("lr") + " must be a positive finite number, got " + learningRate);
        }
        if (steps < 1) {
            throw LossgridException.badInput(param("steps") + " must be at least 1, got " + steps);
        }
        if (!(tolerance >= 0)) {
            throw LossgridException.badInput(param("tol") + " must be zero or positive, got " + tolerance);
        }
        if (trajectoryEvery < 1) {
            throw LossgridException.badInput(param("every") + " must be at least 1, got " + trajectoryEvery);
        }
        if (!intercept && init.b() != 0) {
            throw LossgridException.badInput(param("init") + " sets b, but " + param("no-intercept") + " fixes b = 0");
        }
    }

    /** The learning rate over the steps. */
    public enum Schedule {
        /** eta_t = eta: the book's rule, right for smooth losses such as MSE. */
        CONSTANT,
        /** eta_t = eta / sqrt(1 + t): diminishing steps, which a subgradient method such as MAE needs to converge. */
        INVERSE_SQRT;

        public double at(double eta, int t) {
            return this == CONSTANT ? eta : eta / Math.sqrt(1 + t);
        }

        public static Schedule parse(String name, Loss loss) {
            return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> loss.smooth() ? CONSTANT : INVERSE_SQRT;
                case "constant" -> CONSTANT;
                case "inverse-sqrt" -> INVERSE_SQRT;
                default -> throw LossgridException.badInput(param("schedule") + ": unknown schedule '" + name
                        + "'; choose auto, constant or inverse-sqrt");
            };
        }

        public String cliName() {
            return this == CONSTANT ? "constant" : "inverse-sqrt";
        }
    }
}
