package org.lossgrid.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.SweepPlot;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceEvaluator;
import org.lossgrid.train.StableStep;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.train.TrainResult;
import org.lossgrid.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Gradient descent on the training samples: prints the final parameters, train and test loss,",
            "the steps taken, and the exact optimum with the optimality gap.",
            "Exit code 5 when training diverges (the path so far is still written)."},
        footer = {"", "Examples:", "  lossgrid train --loss mse --png path.png",
            "  lossgrid train --loss mse --scale none --lr 1e-8 --steps 200     (the book's raw units)",
            "  lossgrid train --loss mse --lr-sweep 0.001:3:24 --png sweep.png"})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions train;

    @Option(names = "--lr-sweep", paramLabel = "MIN:MAX:N",
            description = "Train N times at once with log-spaced learning rates from MIN to MAX, one batched "
                    + "backend call per step; prints final loss against learning rate, --png plots it.")
    String sweep;

    @Option(names = "--png", paramLabel = "FILE",
            description = "Draw the path on the error surface (the w1,b slice, other weights at their final values); "
                    + "with --lr-sweep, the loss against the learning rate.")
    Path png;

    @Option(names = "--trajectory", paramLabel = "FILE", description = "Write the path as CSV: step,loss,b,w1..wk.")
    Path trajectory;

    @Option(names = "--w", paramLabel = "MIN:MAX:N", description = "Horizontal axis of --png (default: around the path and the optimum).")
    String w;

    @Option(names = "--b", paramLabel = "MIN:MAX:N", description = "Vertical axis of --png (default: around the path and the optimum).")
    String b;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--json", description = "Print one JSON summary object on stdout instead of text.")
    boolean json;

    private final Console console;

    TrainCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Split split = data.load();
        TrainConfig config = train.config(split.features());
        for (Path output : new Path[] {png, trajectory}) {
            if (output != null) {
                AtomicOutput.checkWritable(output);
            }
        }
        double[] rates = sweep == null ? null : logSpaced(Axis.parse(sweep, "lr-sweep"));
        ExactOptimum.Fit optimum = ExactOptimum.fit(config.loss(), split.train(), config.intercept());
        try (Backend backend = backendOptions.open(console); Trainer trainer = new Trainer(backend, split.train(), config)) {
            if (rates != null) {
                return sweep(backend, trainer, config, split, rates, optimum);
            }
            TrainResult result = trainer.run(console.progress("train"));
            if (trajectory != null) {
                writeTrajectory(trajectory, result);
            }
            if (png != null) {
                drawPath(backend, split.train(), config, result, optimum, png, w, b, console,
                        String.format(Locale.ROOT, "%s with %s (lr %s): %s", config.loss().name().toUpperCase(Locale.ROOT),
                                config.optimizer().cliName(), compact(config.learningRate()), split.train().name()));
            }
            ObjectNode summary = summary(backend, config, split, result, optimum);
            if (json) {
                Json.print(console.out(), summary);
            } else {
                console.out().print(report(config, split, result, optimum, backend.name()));
            }
            if (result.diverged()) {
                throw new LossgridException(LossgridException.Kind.DIVERGED,
                        divergence(config, trainer.scaling().apply(split.train()), result));
            }
            return 0;
        }
    }

    /** rates_i = MIN * (MAX/MIN)^(i/(N-1)) */
    private static double[] logSpaced(Axis axis) {
        if (!(axis.min() > 0)) {
            throw LossgridException.badInput("--lr-sweep: learning rates must be positive, got MIN " + axis.min());
        }
        double[] rates = new double[axis.n()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = axis.n() == 1 ? axis.min()
                    : axis.min() * Math.pow(axis.max() / axis.min(), (double) i / (axis.n() - 1));
        }
        return rates;
    }

    private int sweep(Backend backend, Trainer trainer, TrainConfig config, Split split, double[] rates,
            ExactOptimum.Fit optimum) {
        List<TrainResult> results = trainer.sweep(rates, console.progress("sweep"));
        double[] losses = new double[rates.length];
        boolean[] diverged = new boolean[rates.length];
        ObjectNode summary = Json.backend(Json.object(), backend.name(), backend.device());
        summary.put("loss", config.loss().name());
        summary.put("optimizer", config.optimizer().cliName());
        ArrayNode runs = summary.putArray("sweep");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "learning-rate sweep: %d runs of %s with %s, %d steps at most, one batched %s call per step%n",
                rates.length, config.loss().name().toUpperCase(Locale.ROOT), config.optimizer().cliName(), config.steps(),
                backend.name()));
        table.append(String.format(Locale.ROOT, "%12s %14s %8s  %s%n", "lr", "train loss", "steps", "status"));
        for (int r = 0; r < rates.length; r++) {
            TrainResult result = results.get(r);
            diverged[r] = result.diverged();
            losses[r] = result.diverged() ? Double.NaN : Reference.loss(config.loss(), split.train(), result.params());
            String status = result.diverged() ? "DIVERGED" : result.converged() ? "converged" : "step budget";
            table.append(String.format(Locale.ROOT, "%12.4g %14.6g %8d  %s%n", rates[r], losses[r], result.steps(), status));
            ObjectNode run = runs.addObject();
            run.put("lr", rates[r]);
            run.put("train_loss", losses[r]);
            run.put("steps", result.steps());
            run.put("converged", result.converged());
            run.put("diverged", result.diverged());
        }
        table.append(String.format(Locale.ROOT, "exact optimum: train loss %.6g%n", optimum.loss()));
        summary.put("optimum_loss", optimum.loss());
        summary.put("seconds", results.isEmpty() ? 0 : results.get(0).seconds());
        if (png != null) {
            SweepPlot.write(png, "Final " + config.loss().name().toUpperCase(Locale.ROOT) + " after " + config.steps()
                    + " steps of " + config.optimizer().cliName() + " against the learning rate", rates, losses, diverged);
        }
        if (json) {
            Json.print(console.out(), summary);
        } else {
            console.out().print(table);
        }
        return 0;
    }

    static ObjectNode summary(Backend backend, TrainConfig config, Split split, TrainResult result, ExactOptimum.Fit optimum) {
        ObjectNode summary = Json.backend(Json.object(), backend.name(), backend.device());
        summary.put("loss", config.loss().name());
        summary.put("optimizer", config.optimizer().cliName());
        summary.put("lr", config.learningRate());
        summary.put("schedule", config.schedule().cliName());
        summary.put("scale", config.standardize() ? "standardize" : "none");
        Json.params(summary.putObject("params"), result.params());
        double trainLoss = Reference.loss(config.loss(), split.train(), result.params());
        summary.put("train_loss", trainLoss);
        if (split.test().n() > 0) {
            summary.put("test_loss", Reference.loss(config.loss(), split.test(), result.params()));
        } else {
            summary.putNull("test_loss");
        }
        summary.put("steps", result.steps());
        summary.put("converged", result.converged());
        summary.put("diverged", result.diverged());
        summary.put("gradient_norm", result.gradientNorm());
        ObjectNode exact = summary.putObject("optimum");
        Json.params(exact, optimum.params());
        exact.put("loss", optimum.loss());
        summary.put("gap", trainLoss - optimum.loss());
        summary.put("relative_gap", (trainLoss - optimum.loss()) / optimum.loss());
        summary.put("seconds", result.seconds());
        summary.put("seconds_per_step", result.seconds() / Math.max(1, result.steps()));
        return summary;
    }

    static String report(TrainConfig config, Split split, TrainResult result, ExactOptimum.Fit optimum, String backend) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        double trainLoss = Reference.loss(config.loss(), split.train(), result.params());
        String status = result.diverged() ? "DIVERGED" : result.converged() ? "converged (gradient norm "
                + String.format(Locale.ROOT, "%.2g", result.gradientNorm()) + " < --tol)"
                : "used the step budget (gradient norm " + String.format(Locale.ROOT, "%.2g", result.gradientNorm()) + ")";
        o.printf(Locale.ROOT, "train: %s, %s, lr %s (%s), %s units, on %s%n", config.loss().name().toUpperCase(Locale.ROOT),
                config.optimizer().cliName(), compact(config.learningRate()), config.schedule().cliName(),
                config.standardize() ? "standardized" : "raw", backend);
        o.printf(Locale.ROOT, "%d steps: %s, %.3f s (%.2f us per step)%n", result.steps(), status, result.seconds(),
                1e6 * result.seconds() / Math.max(1, result.steps()));
        o.printf(Locale.ROOT, "%14s %16s %16s%n", "", "trained", "exact optimum");
        Params p = result.params();
        Params q = optimum.params();
        o.printf(Locale.ROOT, "%14s %16.6g %16.6g%n", "b", p.b(), q.b());
        for (int j = 0; j < p.features(); j++) {
            o.printf(Locale.ROOT, "%14s %16.6g %16.6g%n", ParamName.of(j + 1), p.w(j), q.w(j));
        }
        o.printf(Locale.ROOT, "%14s %16.6g %16.6g   gap %.3g (%.2g relative)%n", "L (train)", trainLoss, optimum.loss(),
                trainLoss - optimum.loss(), (trainLoss - optimum.loss()) / optimum.loss());
        if (split.test().n() > 0) {
            o.printf(Locale.ROOT, "%14s %16.6g %16.6g%n", "L' (test)", Reference.loss(config.loss(), split.test(), p),
                    Reference.loss(config.loss(), split.test(), q));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The message for a diverged run; {@code scaled} is the training data in the units the optimizer saw. */
    static String divergence(TrainConfig config, Dataset scaled, TrainResult result) {
        List<TrainResult.Point> path = result.trajectory();
        String suggestion;
        if (config.loss().smooth() && config.optimizer() == org.lossgrid.train.Optimizer.Kind.GD) {
            double limit = StableStep.limit(config.loss(), scaled, config.intercept());
            suggestion = String.format(Locale.ROOT, "plain GD on this %s is stable below lr %.3g; try --lr %.2g",
                    config.loss().name().toUpperCase(Locale.ROOT), limit, 0.5 * limit);
        } else {
            suggestion = String.format(Locale.ROOT, "try a smaller --lr, such as %.2g", config.learningRate() / 10);
        }
        return String.format(Locale.ROOT, "training diverged at step %d with learning rate %s: the loss went from %.4g to %.4g; %s",
                result.steps(), compact(config.learningRate()), path.get(0).loss(), result.loss(), suggestion);
    }

    /** A number in at most 6 significant digits without trailing zeros: 0.1, 3e-08, 1234.5 */
    static String compact(double value) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", value)).stripTrailingZeros().toString()
                .replace("E", "e").replace("e+", "e");
    }

    static void writeTrajectory(Path target, TrainResult result) {
        StringBuilder csv = new StringBuilder("step,loss,b");
        int k = result.params().features();
        for (int j = 1; j <= k; j++) {
            csv.append(",w").append(j);
        }
        csv.append('\n');
        for (TrainResult.Point point : result.trajectory()) {
            csv.append(point.step()).append(',').append(point.loss()).append(',').append(point.params().b());
            for (int j = 0; j < k; j++) {
                csv.append(',').append(point.params().w(j));
            }
            csv.append('\n');
        }
        AtomicOutput.write(target, csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Draws the path over the (w1, b) slice through the final parameters, on a grid around path and optimum. */
    static void drawPath(Backend backend, Dataset train, TrainConfig config, TrainResult result, ExactOptimum.Fit optimum,
            Path png, String w, String b, Console console, String title) {
        List<TrainResult.Point> path = result.trajectory();
        Axis horizontal = w != null ? Axis.parse(w, "w") : around(path, optimum, 1, 400);
        Axis vertical = b != null ? Axis.parse(b, "b") : around(path, optimum, 0, 400);
        SurfaceRun run = new SurfaceRun();
        run.png = png;
        run.title = title;
        run.decorate = plot -> plot.path(path.stream().map(p -> new double[] {p.params().w(0), p.params().b()}).toList())
                .mark(optimum.params().w(0), optimum.params().b());
        try (DeviceDataset device = backend.upload(train)) {
            run.run(device, config.loss(), Slice.wb(result.params()), new GridSpec(horizontal, vertical),
                    SurfaceEvaluator.defaultBudget(), console);
        }
    }

    /** The range of parameter {@code index} over the finite path points and the optimum, padded by 15%. */
    private static Axis around(List<TrainResult.Point> path, ExactOptimum.Fit optimum, int index, int points) {
        double lo = optimum.params().get(index);
        double hi = lo;
        for (TrainResult.Point p : path) {
            double v = p.params().get(index);
            if (Double.isFinite(v) && Double.isFinite(p.loss())) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double pad = Math.max(0.15 * (hi - lo), 0.05 * Math.max(Math.abs(lo), Math.abs(hi)));
        if (!(pad > 0)) {
            pad = 1;
        }
        return new Axis(lo - pad, hi + pad, points);
    }
}
