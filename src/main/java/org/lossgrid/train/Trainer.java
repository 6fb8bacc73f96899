package org.lossgrid.train;

import static org.lossgrid.error.LossgridException.param;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.util.Numbers;
import org.lossgrid.util.Progress;

/**
 * Gradient descent on any backend through {@code lossAndGradient}: the dataset is scaled once,
 * uploaded once and stays resident; each step costs one reduction on the device. Divergence (a
 * loss that is not finite or has grown {@value TrainConfig#DIVERGENCE_FACTOR} times) stops the run
 * and is reported, never thrown, so the path so far can still be written.
 */
public final class Trainer implements AutoCloseable {
    private final TrainConfig config;
    private final Scaling scaling;
    private final DeviceDataset device;
    /** The training samples in the units the optimizer sees. */
    private final Dataset scaled;
    /** The configured loss in the units of the scaled target, which the device evaluates. */
    private final Loss scaledLoss;

    /** Scales {@code train} as configured and uploads it to the backend. */
    public Trainer(Backend backend, Dataset train, TrainConfig config) {
        this.config = config;
        this.scaling = config.standardize() ? Scaling.standardize(train, config.intercept())
                : Scaling.identity(train.k());
        this.scaledLoss = config.loss().inUnitsOf(scaling.yScale());
        this.scaled = scaling.apply(train);
        this.device = backend.upload(scaled);
    }

    public Scaling scaling() {
        return scaling;
    }

    public TrainConfig config() {
        return config;
    }

    /** 2 / lambda_max of the loss's Hessian bound on the samples as the optimizer sees them ({@link StableStep}). */
    public double stableLearningRate() {
        return StableStep.limit(config.loss(), scaled, config.intercept());
    }

    /**
     * What a diverged run did and what to try: the step, the learning rate, the loss before and after,
     * and for plain GD on a smooth loss the largest stable rate ({@link StableStep}).
     */
    public String divergence(TrainResult result) {
        List<TrainResult.Point> path = result.trajectory();
        String suggestion;
        if (config.loss().smooth() && config.optimizer() == Optimizer.Kind.GD) {
            double limit = stableLearningRate();
            suggestion = String.format(Locale.ROOT, "plain GD on this %s is stable below lr %.3g; try %s %.2g",
                    config.loss().name().toUpperCase(Locale.ROOT), limit, param("lr"), 0.5 * limit);
        } else {
            suggestion = String.format(Locale.ROOT, "try a smaller %s, such as %.2g", param("lr"),
                    config.learningRate() / 10);
        }
        return String.format(Locale.ROOT, "training diverged at step %d with learning rate %s: the loss went from %.4g "
                + "to %.4g; %s", result.steps(), Numbers.compact(config.learningRate()), path.get(0).loss(), result.loss(),
                suggestion);
    }

    /** Trains from the configured initial parameters. */
    public TrainResult run(Progress progress) {
        return run(config.learningRate(), progress);
    }

    /** Trains with learning rate {@code eta} from the configured initial parameters. */
    public TrainResult run(double eta, Progress progress) {
        long start = System.nanoTime();
        double[] theta = scaling.toScaled(config.init()).flat();
        Optimizer optimizer = config.optimizer().create(theta.length);
        Trajectory trajectory = new Trajectory(config.trajectoryEvery());
        double initialLoss = Double.NaN;
        boolean converged = false;
        boolean diverged = false;
        int step = 0;
        double lastSound = Double.NaN;
        LossGradient current = evaluate(theta);
        while (true) {
            double loss = current.loss();
            if (step == 0) {
                initialLoss = loss;
            }
            if (trajectory.wants(step)) {
                trajectory.offer(point(step, theta, loss));
            }
            if (divergent(loss, initialLoss)) {
                diverged = true;
                break;
            }
            lastSound = loss;
            if (gradientNorm(current) < config.tolerance()) {
                converged = true;
                break;
            }
            if (step == config.steps()) {
                break;
            }
            theta = optimizer.step(theta, masked(current.gradient()), config.schedule().at(eta, step), step);
            step++;
            current = evaluate(theta);
            progress.update(step, config.steps());
        }
        TrainResult.Point last = point(step, theta, current.loss());
        return new TrainResult(last.params(), last.loss(), step, converged, diverged, gradientNorm(current),
                trajectory.finish(last), (System.nanoTime() - start) * 1e-9, diverged ? original(lastSound) : Double.NaN);
    }

    /**
     * Trains once per learning rate, all together: every step is one batched call that computes every
     * active run's gradient in the same pass over the data. Runs that converge or diverge stop there.
     */
    public List<TrainResult> sweep(double[] rates, Progress progress) {
        long start = System.nanoTime();
        int runs = rates.length;
        double[][] theta = new double[runs][];
        Optimizer[] optimizers = new Optimizer[runs];
        double[] initialLoss = new double[runs];
        LossGradient[] current = new LossGradient[runs];
        int[] steps = new int[runs];
        boolean[] converged = new boolean[runs];
        boolean[] diverged = new boolean[runs];
        double[] lastSound = new double[runs];
        java.util.Arrays.fill(lastSound, Double.NaN);
        List<Trajectory> paths = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            theta[r] = scaling.toScaled(config.init()).flat();
            optimizers[r] = config.optimizer().create(theta[r].length);
            paths.add(new Trajectory(Integer.MAX_VALUE));
        }
        List<Integer> active = evaluateBatch(theta, current, allRuns(runs));
        for (int r = 0; r < runs; r++) {
            initialLoss[r] = current[r].loss();
        }
        for (int step = 0; !active.isEmpty(); step++) {
            List<Integer> stepping = new ArrayList<>();
            for (int r : active) {
                if (paths.get(r).wants(step)) {
                    paths.get(r).offer(point(step, theta[r], current[r].loss()));
                }
                if (divergent(current[r].loss(), initialLoss[r])) {
                    diverged[r] = true;
                    continue;
                }
                lastSound[r] = current[r].loss();
                if (gradientNorm(current[r]) < config.tolerance()) {
                    converged[r] = true;
                } else if (step < config.steps()) {
                    theta[r] = optimizers[r].step(theta[r], masked(current[r].gradient()),
                            config.schedule().at(rates[r], step), step);
                    steps[r] = step + 1;
                    stepping.add(r);
                }
            }
            active = stepping.isEmpty() ? stepping : evaluateBatch(theta, current, stepping);
            progress.update(step + 1, config.steps());
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        List<TrainResult> results = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            TrainResult.Point last = point(steps[r], theta[r], current[r].loss());
            results.add(new TrainResult(last.params(), last.loss(), steps[r], converged[r], diverged[r],
                    gradientNorm(current[r]), paths.get(r).finish(last), seconds, diverged[r] ? original(lastSound[r]) : Double.NaN));
        }
        return results;
    }

    private static List<Integer> allRuns(int runs) {
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            all.add(r);
        }
        return all;
    }

    private List<Integer> evaluateBatch(double[][] theta, LossGradient[] current, List<Integer> runs) {
        Params[] batch = new Params[runs.size()];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = Params.fromFlat(theta[runs.get(i)]);
        }
        LossGradient[] results = device.lossAndGradientBatch(scaledLoss, batch);
        for (int i = 0; i < batch.length; i++) {
            current[runs.get(i)] = results[i];
        }
        return runs;
    }

    private LossGradient evaluate(double[] theta) {
        return device.lossAndGradient(scaledLoss, Params.fromFlat(theta));
    }

    /** Whether a loss is divergence: not finite, or DIVERGENCE_FACTOR times the start. */
    static boolean divergent(double loss, double initialLoss) {
        return !Double.isFinite(loss) || loss > TrainConfig.DIVERGENCE_FACTOR * initialLoss && initialLoss > 0;
    }

    /** The gradient with b's component removed when the model has no intercept. */
    private double[] masked(double[] gradient) {
        if (!config.intercept()) {
            gradient[0] = 0;
        }
        return gradient;
    }

    /** ||grad|| in the scaled space, over the parameters being trained */
    private double gradientNorm(LossGradient lg) {
        return Math.sqrt(norm2(masked(lg.gradient())));
    }

    private static double norm2(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s;
    }

    /** A path point in original units. */
    /** A loss of the scaled problem in original units. */
    private double original(double scaledLoss) {
        return config.loss().rescale(scaledLoss, scaling.yScale());
    }

    private TrainResult.Point point(int step, double[] theta, double scaledLoss) {
        return new TrainResult.Point(step, scaling.toOriginal(Params.fromFlat(theta)),
                config.loss().rescale(scaledLoss, scaling.yScale()));
    }

    @Override
    public void close() {
        device.close();
    }
}
