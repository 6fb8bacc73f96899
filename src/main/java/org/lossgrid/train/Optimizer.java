package org.lossgrid.train;

import static org.lossgrid.error.LossgridException.param;

import java.util.Locale;

import org.lossgrid.error.LossgridException;

/**
 * A first-order update rule. {@link #step} takes the parameters, the gradient and the step number and
 * returns the new parameters; implementations keep their own state (momentum, moments), one
 * instance per training run.
 */
public interface Optimizer {
    /** theta_{t+1} = update(theta_t, grad_t, eta_t) */
    double[] step(double[] theta, double[] gradient, double learningRate, int t);

    /** Names accepted by {@code --optimizer}. */
    enum Kind {
        GD, MOMENTUM, ADAM;

        public static Kind parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw LossgridException.badInput(param("optimizer") + ": unknown optimizer '" + name + "'; choose gd, momentum or adam");
            }
        }

        public Optimizer create(int size) {
            return switch (this) {
                case GD -> new GradientDescent();
                case MOMENTUM -> new Momentum(size, 0.9);
                case ADAM -> new Adam(size, 0.9, 0.999, 1e-8);
            };
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The book's rule: theta <- theta - eta * grad */
    final class GradientDescent implements Optimizer {
        @Override
        public double[] step(double[] theta, double[] gradient, double eta, int t) {
            double[] next = theta.clone();
            for (int i = 0; i < next.length; i++) {
                next[i] -= eta * gradient[i];
            }
            return next;
        }
    }

    /** Heavy ball: v <- beta v + grad, theta <- theta - eta v */
    final class Momentum implements Optimizer {
        private final double[] velocity;
        private final double beta;

        Momentum(int size, double beta) {
            this.velocity = new double[size];
            this.beta = beta;
        }

        @Override
        public double[] step(double[] theta, double[] gradient, double eta, int t) {
            double[] next = theta.clone();
            for (int i = 0; i < next.length; i++) {
                velocity[i] = beta * velocity[i] + gradient[i];
                next[i] -= eta * velocity[i];
            }
            return next;
        }
    }

    /** Adam: m, v moving averages of grad and grad^2, bias-corrected; theta <- theta - eta m^ / (sqrt(v^) + eps) */
    final class Adam implements Optimizer {
        private final double[] m;
        private final double[] v;
        private final double beta1;
        private final double beta2;
        private final double epsilon;

        Adam(int size, double beta1, double beta2, double epsilon) {
            this.m = new double[size];
            this.v = new double[size];
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
        }

        @Override
        public double[] step(double[] theta, double[] gradient, double eta, int t) {
            double[] next = theta.clone();
            double c1 = 1 - Math.pow(beta1, t + 1);
            double c2 = 1 - Math.pow(beta2, t + 1);
            for (int i = 0; i < next.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
                v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
                next[i] -= eta * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
            }
            return next;
        }
    }
}
