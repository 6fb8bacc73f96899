package org.lossgrid.loss;

import static org.lossgrid.error.LossgridException.param;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lossgrid.error.LossgridException;

/**
 * A per-sample loss of the residual {@code e = y - yhat}; the dataset loss is {@code L = mean_i term(e_i)}.
 * Gradients follow from {@link #slope}: {@code dL/db = -mean(slope(e))},
 * {@code dL/dw_j = -mean(slope(e) * x_j)}.
 *
 * <p>Every question that depends on the loss is a method here, and the loops specialised per loss
 * (the CPU backend's, the exact solvers) switch on {@link #kind()}, which the compiler checks for
 * exhaustiveness. Device kernels select the same arithmetic by {@link #kernelId()}, the {@code LOSS_*}
 * id of {@code kernels/common/loss_math.h}, and receive {@link #kernelParameter()} as an argument.
 * A new loss is a record here, a case in that header, a loop in the CPU backend and its exact solver.
 */
public sealed interface Loss permits Loss.Mae, Loss.Mse, Loss.Huber {
    Loss MAE = new Mae();
    Loss MSE = new Mse();

    /** The kinds of loss, in the order of their kernel ids. */
    enum Kind {
        MAE, MSE, HUBER
    }

    Kind kind();

    /** The name users give: {@code mae}, {@code mse} or {@code huber}. */
    default String name() {
        return kind().name().toLowerCase(Locale.ROOT);
    }

    /** For people: {@code MAE}, {@code MSE}, {@code Huber (delta 614.5)}. */
    default String label() {
        return name().toUpperCase(Locale.ROOT);
    }

    /** The loss's parameters by name, for summaries: {@code {delta: 614.5}} for Huber, none for the others. */
    default Map<String, Double> parameters() {
        return Map.of();
    }

    /** The {@code LOSS_*} id shared with the kernels. */
    default int kernelId() {
        return kind().ordinal();
    }

    /** The loss's parameter, which the kernels take as an argument (Huber's delta; 0 for losses without one). */
    default double parameter() {
        return 0;
    }

    /** {@link #parameter()} as the float32 kernels take it. */
    default float kernelParameter() {
        return (float) parameter();
    }

    /** term(e), the loss of one sample with residual e */
    double term(double e);

    /** d term / d e, a subgradient where term is not differentiable */
    double slope(double e);

    /** The largest second derivative of term, sup d^2 term / d e^2; 0 where term has no curvature to bound a step. */
    double curvature();

    /** The same loss for residuals measured in units of {@code s}: applied to {@code e / s}, it ranks parameters as this one does on e. */
    default Loss inUnitsOf(double s) {
        return this;
    }

    /** The loss of the original residuals from that of residuals in units of s: L(e) = rescale(L_s(e / s), s). */
    double rescale(double lossInUnits, double s);

    /** Whether the loss is differentiable everywhere, so gradient descent may keep a constant step. */
    default boolean smooth() {
        return curvature() > 0;
    }

    /** Whether the exact-fast surface methods (closed form, ordering) apply to this loss. */
    default boolean hasExactFast() {
        return false;
    }

    /** Whether the loss grows quadratically over a typical grid, so colours are best logarithmic. */
    default boolean quadratic() {
        return false;
    }

    /** The names of every loss, for messages and help. */
    static List<String> names() {
        return List.of("mae", "mse", "huber");
    }

    /**
     * The loss called {@code name}; {@code delta} is Huber's delta (required for huber, rejected for the
     * others, where it means nothing).
     */
    static Loss of(String name, Double delta) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!key.equals("huber") && delta != null) {
            throw LossgridException.badInput(param("delta") + " applies to the huber loss only, not " + key);
        }
        return switch (key) {
            case "mae" -> MAE;
            case "mse" -> MSE;
            case "huber" -> {
                if (delta == null) {
                    throw LossgridException.badInput(param("delta") + ": the huber loss needs delta > 0");
                }
                yield new Huber(delta);
            }
            default -> throw LossgridException.badInput(param("loss") + ": unknown loss '" + name + "'; choose "
                    + String.join(", ", names()));
        };
    }

    /** A loss without parameters by name: {@code mae} or {@code mse}. */
    static Loss parse(String name) {
        return of(name, null);
    }

    /** Mean absolute error, the book's loss: term = |e|. */
    record Mae() implements Loss {
        @Override
        public Kind kind() {
            return Kind.MAE;
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

        @Override
        public double curvature() {
            return 0;
        }

        /** |s e| = s |e| */
        @Override
        public double rescale(double lossInUnits, double s) {
            return lossInUnits * Math.abs(s);
        }

        @Override
        public boolean hasExactFast() {
            return true;
        }
    }

    /** Mean squared error: term = e^2. */
    record Mse() implements Loss {
        @Override
        public Kind kind() {
            return Kind.MSE;
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

        @Override
        public double curvature() {
            return 2;
        }

        /** (s e)^2 = s^2 e^2 */
        @Override
        public double rescale(double lossInUnits, double s) {
            return lossInUnits * s * s;
        }

        @Override
        public boolean hasExactFast() {
            return true;
        }

        @Override
        public boolean quadratic() {
            return true;
        }
    }

    /**
     * Huber's loss with threshold delta: quadratic for small residuals, linear for large ones, so
     * outliers pull less than under MSE while the loss stays smooth:
     * term = e^2/2 for |e| <= delta, else delta (|e| - delta/2).
     */
    record Huber(double delta) implements Loss {
        public Huber {
            if (!(delta > 0) || !Double.isFinite(delta) || !((float) delta > 0) || Float.isInfinite((float) delta)) {
                throw LossgridException.badInput(param("delta") + ": the huber loss needs a finite delta > 0 "
                        + "(within float range), got " + delta);
            }
        }

        @Override
        public Kind kind() {
            return Kind.HUBER;
        }

        @Override
        public double parameter() {
            return delta;
        }

        @Override
        public String label() {
            return String.format(Locale.ROOT, "Huber (delta %.4g)", delta);
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of("delta", delta);
        }

        /** a (|e| - a/2) with a = min(|e|, delta) */
        @Override
        public double term(double e) {
            double size = Math.abs(e);
            double a = Math.min(size, delta);
            return a * (size - 0.5 * a);
        }

        /** clamp(e, -delta, delta) */
        @Override
        public double slope(double e) {
            return Math.max(-delta, Math.min(delta, e));
        }

        @Override
        public double curvature() {
            return 1;
        }

        /** H_delta(e) = s^2 H_(delta/s)(e/s) */
        @Override
        public Loss inUnitsOf(double s) {
            return new Huber(delta / Math.abs(s));
        }

        /** s^2 H_(delta/s)(e/s) */
        @Override
        public double rescale(double lossInUnits, double s) {
            return lossInUnits * s * s;
        }
    }
}
