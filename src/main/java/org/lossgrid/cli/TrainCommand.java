package org.lossgrid.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceFiles;
import org.lossgrid.api.Trained;
import org.lossgrid.api.Training;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.output.SweepPlot;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;
import org.lossgrid.train.LearningRates;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.train.TrainResult;
import org.lossgrid.util.Numbers;

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

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class,
            description = "Draw the path on the error surface (the w1,b slice, other weights at their final values); "
                    + "with --lr-sweep, the loss against the learning rate.")
    Path png;

    @Option(names = "--trajectory", paramLabel = "FILE", converter = OutputFile.class, description = "Write the path as CSV: step,loss,b,w1..wk.")
    Path trajectory;

    @Option(names = "--every", paramLabel = "N", defaultValue = "1",
            description = "Keep every N-th step of the path in --trajectory, --png and --gif (default: ${DEFAULT-VALUE}: every step; the last is always kept).")
    int every;

    @Option(names = "--gif", paramLabel = "FILE", converter = OutputFile.class,
            description = "Animate gradient descent on the error surface: the path step by step, the loss and the -lr * grad L arrow.")
    Path gif;

    @Option(names = "--w", paramLabel = "MIN:MAX:N", description = "Horizontal axis of --png (default: around the path and the optimum).")
    String w;

    @Option(names = "--b", paramLabel = "MIN:MAX:N", description = "Vertical axis of --png (default: around the path and the optimum).")
    String b;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json", description = "Print one JSON summary object on stdout instead of text.")
    boolean json;

    private final Console console;

    TrainCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Split split = data.load();
        Training training = train.training(split).every(every).progress(console.progress(sweep == null ? "train" : "sweep"))
                .build();
        TrainConfig config = training.config(split.features());
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("png", png);
        outputs.put("trajectory", trajectory);
        outputs.put("gif", gif);
        OutputPaths.checkDistinct(outputs, data.inputs());
        double[] rates = null;
        if (sweep != null) {
            Axis axis = Axis.parse(sweep, "lr-sweep");
            rates = LearningRates.logSpaced(axis.min(), axis.max(), axis.n());
        }
        Axis horizontal = w == null ? null : Axis.parse(w, "w");
        Axis vertical = b == null ? null : Axis.parse(b, "b");
        try (Lossgrid lg = backendOptions.open(split, console)) {
            lg.optimum(config.loss(), config.intercept());
            if (rates != null) {
                return sweep(lg, training, config, rates);
            }
            Trained run = lg.train(training);
            try (OutputSet files = new OutputSet()) {
                if (trajectory != null) {
                    files.write(trajectory, trajectoryCsv(run.result()));
                }
                if (png != null || gif != null) {
                    FigureText text = language.figures(console);
                    String title = text.get("gif.title", config.loss().label() + ", " + split.train().name(),
                            Numbers.compact(config.learningRate()));
                    lg.drawPath(run, horizontal, vertical, new SurfaceFiles(null, null, png, gif, title, text, plot -> { },
                            List.of()), files);
                }
                files.commit();
            }
            LossgridException diverged = run.diverged()
                    ? new LossgridException(LossgridException.Kind.DIVERGED, run.divergence()) : null;
            if (json) {
                ObjectNode summary = summary(lg, run);
                if (diverged != null) {
                    ObjectNode error = summary.putObject("error");
                    error.put("kind", ExitCode.DIVERGED.kind());
                    error.put("message", Main.flagged(diverged));
                    error.put("exit_code", ExitCode.DIVERGED.code());
                }
                console.json(summary);
            } else {
                console.out().print(report(run, split, lg.backendName()));
            }
            if (diverged != null) {
                throw diverged;
            }
            return 0;
        }
    }

    private int sweep(Lossgrid lg, Training training, TrainConfig config, double[] rates) {
        List<Trained> runs = lg.sweep(training, rates);
        double[] losses = new double[rates.length];
        boolean[] diverged = new boolean[rates.length];
        ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
        summary.put("loss", config.loss().name());
        config.loss().parameters().forEach(summary::put);
        summary.put("optimizer", config.optimizer().cliName());
        ArrayNode runsJson = summary.putArray("sweep");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "learning-rate sweep: %d runs of %s with %s, %d steps at most, one batched %s call per step%n",
                rates.length, config.loss().label(), config.optimizer().cliName(), config.steps(), lg.backendName()));
        table.append(String.format(Locale.ROOT, "%12s %14s %8s  %s%n", "lr", "train loss", "steps", "status"));
        for (int r = 0; r < rates.length; r++) {
            Trained run = runs.get(r);
            TrainResult result = run.result();
            diverged[r] = result.diverged();
            losses[r] = run.trainLoss();
            String status = result.diverged() ? "DIVERGED" : result.converged() ? "converged" : "step budget";
            table.append(String.format(Locale.ROOT, "%12.4g %14.6g %8d  %s%n", rates[r], losses[r], result.steps(), status));
            ObjectNode row = runsJson.addObject();
            row.put("lr", rates[r]);
            row.put("train_loss", losses[r]);
            row.put("steps", result.steps());
            row.put("converged", result.converged());
            row.put("diverged", result.diverged());
        }
        ExactOptimum.Fit optimum = lg.optimum(config.loss(), config.intercept());
        table.append(String.format(Locale.ROOT, "exact optimum: train loss %.6g%n", optimum.loss()));
        summary.put("optimum_loss", optimum.loss());
        summary.put("seconds", runs.get(0).result().seconds());
        if (png != null) {
            SweepPlot.write(png, "Final " + config.loss().label() + " after " + config.steps()
                    + " steps of " + config.optimizer().cliName() + " against the learning rate", rates, losses, diverged);
        }
        if (json) {
            console.json(summary);
        } else {
            console.out().print(table);
        }
        return 0;
    }

    static ObjectNode summary(Lossgrid lg, Trained run) {
        TrainConfig config = run.config();
        TrainResult result = run.result();
        ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
        summary.put("loss", config.loss().name());
        config.loss().parameters().forEach(summary::put);
        summary.put("optimizer", config.optimizer().cliName());
        summary.put("lr", config.learningRate());
        summary.put("schedule", config.schedule().cliName());
        summary.put("scale", config.standardize() ? "standardize" : "none");
        Json.params(summary.putObject("params"), result.params());
        double trainLoss = lg.trainLoss(config.loss(), result.params());
        summary.put("train_loss", trainLoss);
        if (lg.data().test().n() > 0) {
            summary.put("test_loss", lg.testLoss(config.loss(), result.params()));
        } else {
            summary.putNull("test_loss");
        }
        summary.put("steps", result.steps());
        summary.put("converged", result.converged());
        summary.put("diverged", result.diverged());
        summary.put("gradient_norm", result.gradientNorm());
        ObjectNode exact = summary.putObject("optimum");
        Json.params(exact, run.optimum().params());
        exact.put("loss", run.optimum().loss());
        summary.put("gap", trainLoss - run.optimum().loss());
        summary.put("relative_gap", (trainLoss - run.optimum().loss()) / run.optimum().loss());
        summary.put("trajectory_every", config.trajectoryEvery());
        summary.put("seconds", result.seconds());
        summary.put("seconds_per_step", result.seconds() / Math.max(1, result.steps()));
        return summary;
    }

    static String report(Trained run, Split split, String backend) {
        TrainConfig config = run.config();
        TrainResult result = run.result();
        ExactOptimum.Fit optimum = run.optimum();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        double trainLoss = Reference.loss(config.loss(), split.train(), result.params());
        String status = result.diverged() ? "DIVERGED" : result.converged() ? "converged (gradient norm "
                + String.format(Locale.ROOT, "%.2g", result.gradientNorm()) + " < --tol)"
                : "used the step budget (gradient norm " + String.format(Locale.ROOT, "%.2g", result.gradientNorm()) + ")";
        o.printf(Locale.ROOT, "train: %s, %s, lr %s (%s), %s units, on %s%n", config.loss().label(),
                config.optimizer().cliName(), Numbers.compact(config.learningRate()), config.schedule().cliName(),
                config.standardize() ? "standardized" : "raw", backend);
        o.printf(Locale.ROOT, "%d steps: %s, %.3f s (%.2f us per step)%n", result.steps(), status, result.seconds(),
                1e6 * result.seconds() / Math.max(1, result.steps()));
        if (config.trajectoryEvery() > 1) {
            o.printf(Locale.ROOT, "the path keeps every %d-th step (--every), %d points%n", config.trajectoryEvery(),
                    result.trajectory().size());
        }
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

    /** The path as CSV: step,loss,b,w1..wk */
    static byte[] trajectoryCsv(TrainResult result) {
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
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
