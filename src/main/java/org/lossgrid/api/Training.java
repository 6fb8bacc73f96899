package org.lossgrid.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.train.NetworkConfig;
import org.lossgrid.train.Optimizer;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.util.Progress;

/**
 * How to train: gradient descent on a loss with a learning rate, a step budget and a tolerance, an
 * optimizer, feature scaling and a schedule. Build one with {@link #of(Loss)}; the defaults are the
 * CLI's: learning rate 0.1 in standardized units, 10000 steps, tolerance 1e-7 on the gradient norm,
 * plain GD, an intercept, start at 0, and the schedule that suits the loss (constant where the loss is
 * smooth, eta / sqrt(1 + t) for MAE).
 *
 * <p>The model is the linear one unless {@link Builder#model} names a network ({@code relu:100x2}, say);
 * a network trains for {@link Builder#epochs} epochs in minibatches of {@link Builder#batch} samples with a
 * constant learning rate, from an initialisation and shuffle drawn from {@link Builder#seed}, and
 * {@link Lossgrid#trainNetwork} runs it.
 *
 * <pre>{@code
 * Training training = Training.of(Loss.MSE).learningRate(0.05).optimizer(Optimizer.Kind.ADAM).build();
 * }</pre>
 */
public final class Training {
    private final Loss loss;
    private final double learningRate;
    private final int steps;
    private final double tolerance;
    private final Map<String, Double> init;
    private final Optimizer.Kind optimizer;
    private final boolean standardize;
    private final boolean intercept;
    private final TrainConfig.Schedule schedule;
    private final int trajectoryEvery;
    private final Progress progress;
    private final ModelSpec model;
    private final int epochs;
    private final int batch;
    private final long seed;

    private Training(Builder b) {
        this.loss = b.loss;
        this.learningRate = b.learningRate;
        this.steps = b.steps;
        this.tolerance = b.tolerance;
        this.init = Map.copyOf(b.init);
        this.optimizer = b.optimizer;
        this.standardize = b.standardize;
        this.intercept = b.intercept;
        this.schedule = b.schedule;
        this.trajectoryEvery = b.trajectoryEvery;
        this.progress = b.progress;
        this.model = b.model;
        this.epochs = b.epochs;
        this.batch = b.batch;
        this.seed = b.seed;
    }

    /** The model to train: linear, or a network of the family. */
    public ModelSpec model() {
        return model;
    }

    public static Builder of(Loss loss) {
        return new Builder(loss);
    }

    /**
     * The adapters' words for a training, each named as its flag: the loss name (with Huber's delta, or
     * null for the usual one), the learning rate, steps and tolerance, {@code init} "b=..,w1=.." (or
     * null), the optimizer, the scale (standardize or none), the schedule (auto or a name) and whether
     * there is no intercept.
     */
    public record Flags(String loss, Double delta, double lr, int steps, double tol, String init, String optimizer,
            String scale, String schedule, boolean noIntercept) {
    }

    /** The training {@code flags} describe on {@code data} (whose residuals set Huber's default delta). */
    public static Builder parse(Split data, Flags flags) {
        Loss lossFunction = Lossgrid.loss(flags.loss(), flags.delta(), data);
        String scale = flags.scale() == null ? "standardize" : flags.scale().trim().toLowerCase(java.util.Locale.ROOT);
        boolean standardize = switch (scale) {
            case "standardize" -> true;
            case "none" -> false;
            default -> throw LossgridException.badInput(LossgridException.param("scale") + ": unknown scaling '"
                    + flags.scale() + "'; choose standardize or none");
        };
        Map<String, Double> start = new LinkedHashMap<>();
        ParamName.parseAssignments(flags.init(), data.features(), "init")
                .forEach((index, value) -> start.put(ParamName.of(index), value));
        String schedule = flags.schedule() == null ? "auto" : flags.schedule().trim();
        Builder training = of(lossFunction).learningRate(flags.lr()).steps(flags.steps()).tolerance(flags.tol()).init(start)
                .optimizer(Optimizer.Kind.parse(flags.optimizer() == null ? "gd" : flags.optimizer()))
                .standardize(standardize)
                .schedule(schedule.equalsIgnoreCase("auto") ? null : TrainConfig.Schedule.parse(schedule, lossFunction));
        if (flags.noIntercept()) {
            training.noIntercept();
        }
        return training;
    }

    public Progress progress() {
        return progress;
    }

    /**
     * The network trainer's configuration; a network has no intercept switch, named initial parameters or
     * schedule yet, so asking for them is a BAD_INPUT error.
     */
    public NetworkConfig networkConfig() {
        if (model.linear()) {
            throw new IllegalStateException("the linear model has a TrainConfig, not a NetworkConfig");
        }
        if (!intercept || !init.isEmpty() || schedule != null) {
            String what = !intercept ? "no-intercept" : !init.isEmpty() ? "init" : "schedule";
            throw LossgridException.badInput(LossgridException.param(what) + " applies to the linear model only; "
                    + model + " starts from a seeded initialisation (" + LossgridException.param("seed")
                    + ") with a constant learning rate");
        }
        return new NetworkConfig(model, loss, optimizer, learningRate, epochs, batch, seed, standardize);
    }

    /** The trainer's configuration for a model with {@code features} weights; bad settings are BAD_INPUT errors. */
    public TrainConfig config(int features) {
        if (!model.linear()) {
            throw new IllegalStateException(model + " is a network: it has a NetworkConfig");
        }
        Params start = Params.zeros(features);
        for (Map.Entry<String, Double> e : init.entrySet()) {
            start = start.with(ParamName.parse(e.getKey(), features, "init"), e.getValue());
        }
        TrainConfig.Schedule resolved = schedule != null ? schedule
                : loss.smooth() ? TrainConfig.Schedule.CONSTANT : TrainConfig.Schedule.INVERSE_SQRT;
        return new TrainConfig(loss, learningRate, steps, tolerance, start, optimizer, standardize, intercept, resolved,
                trajectoryEvery);
    }

    /** Builds a {@link Training}; every setting is optional. */
    public static final class Builder {
        private final Loss loss;
        private double learningRate = 0.1;
        private int steps = 10000;
        private double tolerance = 1e-7;
        private final Map<String, Double> init = new LinkedHashMap<>();
        private Optimizer.Kind optimizer = Optimizer.Kind.GD;
        private boolean standardize = true;
        private boolean intercept = true;
        private TrainConfig.Schedule schedule;
        private int trajectoryEvery = 1;
        private Progress progress = Progress.NONE;
        private ModelSpec model = ModelSpec.LINEAR;
        private int epochs = 100;
        private int batch;
        private long seed = 1;

        private Builder(Loss loss) {
            this.loss = loss;
        }

        /** eta, in the units the optimizer sees (standardized unless {@link #rawUnits()}). */
        public Builder learningRate(double eta) {
            this.learningRate = eta;
            return this;
        }

        /** The step budget. */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Stop once the gradient norm in the scaled space is below this. */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Starts parameter {@code name} (b, w1, ...) at {@code value} in original units instead of 0. */
        public Builder init(String name, double value) {
            init.put(name, value);
            return this;
        }

        /** Starts each named parameter at its value. */
        public Builder init(Map<String, Double> values) {
            init.putAll(values);
            return this;
        }

        public Builder optimizer(Optimizer.Kind kind) {
            this.optimizer = kind;
            return this;
        }

        /** Trains on the raw data, as the book does, instead of standardized features and target. */
        public Builder rawUnits() {
            this.standardize = false;
            return this;
        }

        /** Standardized (the default) or raw units. */
        public Builder standardize(boolean standardize) {
            this.standardize = standardize;
            return this;
        }

        /** Fits y = w . x with b fixed at 0. */
        public Builder noIntercept() {
            this.intercept = false;
            return this;
        }

        /** The learning-rate schedule; null (the default) chooses by the loss. */
        public Builder schedule(TrainConfig.Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Keep every {@code n}-th step of the path (default 1: every step; the last is always kept). */
        public Builder every(int n) {
            this.trajectoryEvery = n;
            return this;
        }

        public Builder progress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /** The model (default linear). */
        public Builder model(ModelSpec model) {
            this.model = model;
            return this;
        }

        /** A network's passes over the training samples (default 100). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** A network's samples per step; 0 (the default) is all of them. */
        public Builder batch(int samples) {
            if (samples < 1) {
                throw LossgridException.badInput(LossgridException.param("batch") + " must be at least 1 sample, got "
                        + samples);
            }
            this.batch = samples;
            return this;
        }

        /** The seed of a network's initialisation and shuffle (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Training build() {
            return new Training(this);
        }
    }
}
