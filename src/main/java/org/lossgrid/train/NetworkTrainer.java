package org.lossgrid.train;

import static org.lossgrid.error.LossgridException.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.util.Numbers;
import org.lossgrid.util.Progress;

/**
 * Minibatch training of a network on any backend that has the network operations: the training and test
 * samples are scaled once and uploaded once; each step sends the backend only the float32 parameters and
 * the minibatch's row indices, and gets back the loss and gradient. After each epoch both losses over
 * all samples are measured in one batched call each, and reported in original units. Divergence (a loss
 * that is not finite or has grown {@value TrainConfig#DIVERGENCE_FACTOR} times) stops the run and is
 * reported, never thrown.
 */
public final class NetworkTrainer implements AutoCloseable {
    private final NetworkConfig config;
    private final Network network;
    private final Scaling scaling;
    private final Loss scaledLoss;
    private final DeviceDataset train;
    private final DeviceDataset test;

    /** Scales {@code train} and {@code test} by the training samples' statistics and uploads both. */
    public NetworkTrainer(Backend backend, Dataset train, Dataset test, NetworkConfig config) {
        this.config = config;
        this.network = new Network(config.model(), train.k());
        this.scaling = config.standardize() ? Scaling.standardize(train, true) : Scaling.identity(train.k());
        this.scaledLoss = config.loss().inUnitsOf(scaling.yScale());
        this.train = backend.upload(scaling.apply(train));
        try {
            this.test = test.n() == 0 ? null : backend.upload(scaling.apply(test));
        } catch (RuntimeException e) {
            this.train.close();
            throw e;
        }
    }

    public NetworkConfig config() {
        return config;
    }

    public Network network() {
        return network;
    }

    /** The losses of one epoch's end in original units; test is NaN where there are no test samples. */
    public record Epoch(int epoch, double trainLoss, double testLoss) {
    }

    /**
     * A finished run: the model (in original units through its scale), the loss after each epoch (epoch 0 is
     * the initialisation), the optimizer steps taken, for a diverged run the training loss of the last
     * epoch before it blew up, and the wall time of the training (shared by runs trained together).
     */
    public record Result(NetworkModel model, List<Epoch> history, int steps, boolean diverged,
            double lossBeforeDivergence, double seconds) {
    }

    /** One of several networks trained together: its seed (initialisation and shuffle) and learning rate. */
    public record Run(long seed, double learningRate) {
        public Run {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw LossgridException.badInput(param("lr") + " must be a positive finite number, got " + learningRate);
            }
        }
    }

    /** Trains as configured from the seeded initialisation. */
    /** Sees each run's parameters after every epoch (epoch 0: the initialisation); it must copy what it keeps. */
    public interface EpochListener {
        EpochListener NONE = (run, epoch, theta) -> { };

        void after(int run, int epoch, double[] theta);
    }

    public Result run(Progress progress) {
        return runAll(List.of(new Run(config.seed(), config.learningRate())), progress).get(0);
    }

    /**
     * Trains one network per run, all together: each step is one batched backend call that computes every
     * active run's minibatch gradient (each run shuffles with its own seed), and each epoch ends with one
     * batched call per data set for all runs' losses. A run that diverges stops there; the others go on.
     */
    public List<Result> runAll(List<Run> runs, Progress progress) {
        return runAll(runs, progress, EpochListener.NONE);
    }

    /** {@link #runAll(List, Progress)}, showing {@code listener} every run's parameters after each epoch. */
    public List<Result> runAll(List<Run> runs, Progress progress, EpochListener listener) {
        long start = System.nanoTime();
        int count = runs.size();
        int n = train.host().n();
        int batch = config.batchOf(n);
        double[][] theta = new double[count][];
        Optimizer[] optimizers = new Optimizer[count];
        Random[] shuffles = new Random[count];
        int[][] order = new int[count][n];
        List<List<Epoch>> history = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            theta[r] = network.initial(runs.get(r).seed());
            optimizers[r] = config.optimizer().create(theta[r].length);
            shuffles[r] = new Random(runs.get(r).seed() + 1);
            Arrays.setAll(order[r], i -> i);
            history.add(new ArrayList<>());
        }
        int[] all = allRuns(count);
        double[][] first = losses(theta, all);
        double[] lastSound = first[0].clone();
        boolean[] diverged = new boolean[count];
        int[] steps = new int[count];
        for (int r = 0; r < count; r++) {
            history.get(r).add(new Epoch(0, original(first[0][r]), original(first[1][r])));
            diverged[r] = Trainer.divergent(first[0][r], first[0][r]);
            listener.after(r, 0, theta[r]);
        }
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            int[] active = active(diverged);
            if (active.length == 0) {
                break;
            }
            for (int r : active) {
                shuffle(order[r], shuffles[r]);
            }
            for (int from = 0; from < n; from += batch) {
                active = active(diverged);
                float[][] sets = new float[active.length][];
                int[][] rows = new int[active.length][];
                for (int a = 0; a < active.length; a++) {
                    sets[a] = toFloat(theta[active[a]]);
                    rows[a] = Arrays.copyOfRange(order[active[a]], from, Math.min(n, from + batch));
                }
                LossGradient[] results = train.networkLossAndGradientBatch(scaledLoss, network, sets, rows);
                for (int a = 0; a < active.length; a++) {
                    int r = active[a];
                    if (Double.isFinite(results[a].loss())) {
                        theta[r] = optimizers[r].step(theta[r], results[a].gradient(), runs.get(r).learningRate(),
                                steps[r]++);
                    } else {
                        diverged[r] = true;
                    }
                }
            }
            int[] measured = active;
            double[][] now = losses(theta, measured);
            for (int a = 0; a < measured.length; a++) {
                int r = measured[a];
                history.get(r).add(new Epoch(epoch, original(now[0][a]), original(now[1][a])));
                diverged[r] |= Trainer.divergent(now[0][a], first[0][r]);
                if (!diverged[r]) {
                    lastSound[r] = now[0][a];
                    listener.after(r, epoch, theta[r]);
                }
            }
            progress.update(epoch, config.epochs());
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            NetworkModel model = new NetworkModel(network, config.loss().name(), config.loss().parameters().get("delta"),
                    config.standardize() ? scaling.scale() : null, theta[r]);
            results.add(new Result(model, List.copyOf(history.get(r)), steps[r], diverged[r],
                    diverged[r] ? original(lastSound[r]) : Double.NaN, seconds));
        }
        return results;
    }

    private static int[] allRuns(int count) {
        int[] all = new int[count];
        Arrays.setAll(all, r -> r);
        return all;
    }

    private static int[] active(boolean[] diverged) {
        return java.util.stream.IntStream.range(0, diverged.length).filter(r -> !diverged[r]).toArray();
    }

    /** What a diverged run did and what to try: the epoch, the learning rate, the loss before and after. */
    public String divergence(Result result) {
        return divergence(result, config.learningRate());
    }

    /** {@link #divergence(Result)} of a run with learning rate {@code learningRate}. */
    public String divergence(Result result, double learningRate) {
        Epoch last = result.history().get(result.history().size() - 1);
        return String.format(Locale.ROOT, "training diverged in epoch %d with learning rate %s: the training loss went "
                + "from %.4g to %.4g; try a smaller %s, such as %.2g", last.epoch(), Numbers.compact(learningRate),
                result.history().get(0).trainLoss(), last.trainLoss(), param("lr"), learningRate / 10);
    }

    /**
     * [L_train[a], L_test[a]] of theta[runs[a]] over all samples, in scaled units, one batched call per data
     * set (L_test NaN without test samples)
     */
    private double[][] losses(double[][] theta, int[] runs) {
        float[][] sets = new float[runs.length][];
        for (int a = 0; a < runs.length; a++) {
            sets[a] = toFloat(theta[runs[a]]);
        }
        double[] trainLoss = train.networkLosses(scaledLoss, network, sets);
        double[] testLoss = new double[runs.length];
        if (test == null) {
            Arrays.fill(testLoss, Double.NaN);
        } else {
            testLoss = test.networkLosses(scaledLoss, network, sets);
        }
        return new double[][] {trainLoss, testLoss};
    }

    /** Fisher-Yates: order <- a uniformly random permutation of itself */
    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static float[] toFloat(double[] theta) {
        float[] out = new float[theta.length];
        for (int p = 0; p < theta.length; p++) {
            out[p] = (float) theta[p];
        }
        return out;
    }

    /** A loss of the scaled problem in original units. */
    private double original(double scaled) {
        return config.loss().rescale(scaled, scaling.yScale());
    }

    @Override
    public void close() {
        try {
            if (test != null) {
                test.close();
            }
        } finally {
            train.close();
        }
    }
}
