package org.lossgrid.cli;

import static org.lossgrid.error.LossgridException.param;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceFiles;
import org.lossgrid.api.Trained;
import org.lossgrid.api.TrainedNetwork;
import org.lossgrid.api.Training;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.i18n.Text;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.output.SweepPlot;
import org.lossgrid.reference.Reference;
import org.lossgrid.report.Json;
import org.lossgrid.surface.Axis;
import org.lossgrid.train.LearningRates;
import org.lossgrid.train.NetworkConfig;
import org.lossgrid.train.NetworkTrainer;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.train.TrainResult;
import org.lossgrid.util.Numbers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false)
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions train;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "linear")
    String model;

    @Option(names = "--epochs", paramLabel = "E")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S")
    Long seed;

    @Option(names = "--seeds", paramLabel = "K")
    Integer seeds;

    @Option(names = "--save-params", paramLabel = "FILE", converter = OutputFile.class)
    Path saveParams;

    @Option(names = "--history", paramLabel = "FILE", converter = OutputFile.class)
    Path history;

    @Option(names = "--lr-sweep", paramLabel = "MIN:MAX:N")
    String sweep;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Option(names = "--trajectory", paramLabel = "FILE", converter = OutputFile.class)
    Path trajectory;

    @Option(names = "--every", paramLabel = "N", defaultValue = "1")
    int every;

    @Option(names = "--gif", paramLabel = "FILE", converter = OutputFile.class)
    Path gif;

    @Option(names = "--w", paramLabel = "MIN:MAX:N")
    String w;

    @Option(names = "--b", paramLabel = "MIN:MAX:N")
    String b;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
    boolean json;

    @Spec
    CommandSpec command;

    private final Console console;

    TrainCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ModelSpec spec = ModelSpec.parse(model);
        if (!spec.linear()) {
            return network(spec);
        }
        Map<String, Object> networkOnly = new LinkedHashMap<>();
        networkOnly.put("epochs", epochs);
        networkOnly.put("batch", batch);
        networkOnly.put("seed", seed);
        networkOnly.put("seeds", seeds);
        networkOnly.put("history", history);
        refuse(networkOnly, "applies to networks (" + param("model") + " sigmoid:H, relu:H, relu:HxL); the linear "
                + "model trains for " + param("steps") + " steps of full-batch gradient descent");
        Split split = data.load();
        Training training = train.training(split).every(every).progress(console.progress(sweep == null ? "train" : "sweep"))
                .build();
        TrainConfig config = training.config(split.features());
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("png", png);
        outputs.put("trajectory", trajectory);
        outputs.put("gif", gif);
        outputs.put("save-params", saveParams);
        OutputPaths.checkDistinct(outputs, data.inputs());
        if (saveParams != null && sweep != null) {
            throw LossgridException.badInput(param("save-params") + " saves one run; " + param("lr-sweep")
                    + " trains several");
        }
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
                if (saveParams != null && !run.diverged()) {
                    files.write(saveParams, Lossgrid.paramsFile(NetworkModel.linear(run.result().params(),
                            config.loss().name(), config.loss().parameters().get("delta"))));
                }
                if (png != null || gif != null) {
                    FigureText text = language.figures(console);
                    String title = text.get("gif.title", config.loss().label() + ", " + text.dataName(split.train().name()),
                            Numbers.compact(config.learningRate()));
                    lg.drawPath(run, horizontal, vertical, new SurfaceFiles(null, null, png, gif, title, text, plot -> { },
                            List.of()), files);
                }
                files.commit();
            }
            LossgridException diverged = run.diverged()
                    ? new LossgridException(LossgridException.Kind.DIVERGED, run.divergence()) : null;
            if (json) {
                ObjectNode summary = Json.training(lg, run);
                if (diverged != null) {
                    ObjectNode error = summary.putObject("error");
                    error.put("kind", ExitCode.DIVERGED.kind());
                    error.put("message", Main.flagged(diverged));
                    error.put("exit_code", ExitCode.DIVERGED.code());
                }
                console.json(summary);
            } else {
                console.out().print(report(Text.of(language.language()), run, split, lg.backendName()));
                console.wrote(Text.of(language.language()), trajectory, png, gif);
            }
            if (diverged != null) {
                throw diverged;
            }
            return 0;
        }
    }

    /** A BAD_INPUT error for the first option given, by its flag, that {@code why} rules out. */
    private static void refuse(Map<String, Object> options, String why) {
        options.forEach((flag, value) -> {
            if (value != null) {
                throw LossgridException.badInput(param(flag) + " " + why);
            }
        });
    }

    /** A network: minibatch training for epochs, its history, PNG and params file, all written together. */
    private int network(ModelSpec spec) {
        Map<String, Object> linearOnly = new LinkedHashMap<>();
        linearOnly.put("trajectory", trajectory);
        linearOnly.put("gif", gif);
        linearOnly.put("w", w);
        linearOnly.put("b", b);
        for (String flag : List.of("steps", "tol", "schedule", "every", "test-fraction")) {
            if (command.commandLine().getParseResult().hasMatchedOption("--" + flag)) {
                linearOnly.put(flag, Boolean.TRUE);
            }
        }
        refuse(linearOnly, "applies to the linear model; " + spec + " trains in epochs (" + param("epochs") + ", "
                + param("batch") + ") and draws its loss per epoch with " + param("png"));
        if (seeds != null || sweep != null) {
            Map<String, Object> oneRun = new LinkedHashMap<>();
            oneRun.put("save-params", saveParams);
            oneRun.put("history", history);
            refuse(oneRun, "writes one network's files; " + param(seeds != null ? "seeds" : "lr-sweep")
                    + " trains several");
        }
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("png", png);
        outputs.put("history", history);
        outputs.put("save-params", saveParams);
        OutputPaths.checkDistinct(outputs, data.inputs());
        Split split = data.load();
        Training.Builder builder = train.training(split).model(spec).progress(console.progress("train"));
        if (epochs != null) {
            builder.epochs(epochs);
        }
        if (batch != null) {
            builder.batch(batch);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        Training training = builder.build();
        NetworkConfig config = training.networkConfig();
        List<NetworkTrainer.Run> runs = runs(config);
        try (Lossgrid lg = backendOptions.open(split, console)) {
            if (runs.size() > 1) {
                return networks(lg, lg.trainNetworks(training, runs), language.figures(console));
            }
            TrainedNetwork run = lg.trainNetwork(training);
            Text words = Text.of(language.language());
            try (OutputSet files = new OutputSet()) {
                if (history != null) {
                    files.write(history, historyCsv(run.result().history()));
                }
                if (png != null) {
                    FigureText text = language.figures(console);
                    files.write(png, historyPng(text, List.of(run)));
                }
                if (saveParams != null && !run.diverged()) {
                    files.write(saveParams, Lossgrid.paramsFile(run.model()));
                }
                files.commit();
            }
            LossgridException diverged = run.diverged()
                    ? new LossgridException(LossgridException.Kind.DIVERGED, run.divergence()
                            + (saveParams == null ? "" : "; " + param("save-params") + " was not written"))
                    : null;
            if (json) {
                ObjectNode summary = Json.network(lg, run);
                if (diverged != null) {
                    ObjectNode error = summary.putObject("error");
                    error.put("kind", ExitCode.DIVERGED.kind());
                    error.put("message", Main.flagged(diverged));
                    error.put("exit_code", ExitCode.DIVERGED.code());
                }
                console.json(summary);
            } else {
                console.out().print(networkReport(words, run, lg.backendName()));
                console.wrote(words, history, png, run.diverged() ? null : saveParams);
            }
            if (diverged != null) {
                throw diverged;
            }
            return 0;
        }
    }

    /** The most networks one --seeds may train together. */
    private static final int MAX_SEEDS = 1000;

    /** One run per learning rate of --lr-sweep (or --lr) and per seed of --seed, --seed + 1, ... (--seeds K). */
    private List<NetworkTrainer.Run> runs(NetworkConfig config) {
        if (seeds != null && (seeds < 1 || seeds > MAX_SEEDS)) {
            throw LossgridException.badInput(param("seeds") + " must be 1.." + MAX_SEEDS + ", got " + seeds);
        }
        double[] rates = {config.learningRate()};
        if (sweep != null) {
            Axis axis = Axis.parse(sweep, "lr-sweep");
            rates = LearningRates.logSpaced(axis.min(), axis.max(), axis.n());
        }
        List<NetworkTrainer.Run> runs = new ArrayList<>();
        for (double rate : rates) {
            for (int k = 0; k < (seeds == null ? 1 : seeds); k++) {
                runs.add(new NetworkTrainer.Run(config.seed() + k, rate));
            }
        }
        return runs;
    }

    /** The table (or JSON) of several networks trained together. */
    private int networks(Lossgrid lg, List<TrainedNetwork> runs, FigureText text) {
        NetworkConfig config = runs.get(0).config();
        Text words = Text.of(language.language());
        ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
        summary.put("model", config.model().toString());
        summary.put("loss", config.loss().name());
        config.loss().parameters().forEach(summary::put);
        summary.put("optimizer", config.optimizer().cliName());
        summary.put("epochs", config.epochs());
        summary.put("batch", config.batchOf(lg.data().train().n()));
        ArrayNode rows = summary.putArray("runs");
        StringBuilder table = new StringBuilder(words.get("networks.header", runs.size(), config.model().toString(),
                config.loss().label(), config.optimizer().cliName(), config.epochs(), lg.backendName())).append('\n');
        String[] columns = words.get("networks.columns").split("\\|");
        table.append(Text.pad(columns[0], 8)).append(Text.pad(columns[1], 12)).append(Text.pad(columns[2], 14))
                .append(Text.pad(columns[3], 14)).append("  ").append(columns[4]).append('\n');
        for (TrainedNetwork run : runs) {
            NetworkTrainer.Result result = run.result();
            int epochsRun = result.history().size() - 1;
            String status = result.diverged()
                    ? words.get("network.status.diverged", epochsRun, Numbers.compact(result.lossBeforeDivergence()))
                    : words.get("network.status.done");
            table.append(String.format(Locale.ROOT, "%8d%12.4g%14.6g%14.6g  %s%n", run.run().seed(),
                    run.run().learningRate(), run.trainLoss(), run.testLoss(), status));
            ObjectNode row = rows.addObject();
            row.put("seed", run.run().seed());
            row.put("lr", run.run().learningRate());
            row.put("train_loss", run.trainLoss());
            if (Double.isNaN(run.testLoss())) {
                row.putNull("test_loss");
            } else {
                row.put("test_loss", run.testLoss());
            }
            row.put("epochs", epochsRun);
            row.put("steps", result.steps());
            row.put("diverged", result.diverged());
        }
        summary.put("seconds", runs.get(0).result().seconds());
        if (png != null) {
            AtomicOutput.write(png, historyPng(text, runs));
        }
        if (json) {
            console.json(summary);
        } else {
            console.out().print(table);
            console.wrote(words, png);
        }
        return 0;
    }

    static String networkReport(Text words, TrainedNetwork run, String backend) {
        NetworkConfig config = run.config();
        NetworkTrainer.Result result = run.result();
        StringBuilder o = new StringBuilder();
        o.append(words.get("network.header", config.model().toString(), run.model().network().inputs(),
                run.model().network().parameterCount(), config.loss().label(), config.optimizer().cliName(),
                Numbers.compact(config.learningRate()), backend)).append('\n');
        int epochsRun = result.history().size() - 1;
        String status = result.diverged()
                ? words.get("network.status.diverged", epochsRun, Numbers.compact(result.lossBeforeDivergence()))
                : words.get("network.status.done");
        o.append(words.get("network.epochs", epochsRun, result.steps(), status,
                String.format(Locale.ROOT, "%.3f", result.seconds()),
                String.format(Locale.ROOT, "%.1f", 1e6 * result.seconds() / Math.max(1, result.steps())))).append('\n');
        o.append(row(words.get("train.loss"), number(run.trainLoss()), "").stripTrailing()).append('\n');
        if (!Double.isNaN(run.testLoss())) {
            o.append(row(words.get("train.test"), number(run.testLoss()), "").stripTrailing()).append('\n');
        }
        return o.toString();
    }

    /** The losses per epoch as CSV: epoch,train_loss,test_loss (test empty without test samples) */
    static byte[] historyCsv(List<NetworkTrainer.Epoch> epochs) {
        StringBuilder csv = new StringBuilder("epoch,train_loss,test_loss\n");
        for (NetworkTrainer.Epoch e : epochs) {
            csv.append(e.epoch()).append(',').append(e.trainLoss()).append(',')
                    .append(Double.isNaN(e.testLoss()) ? "" : Double.toString(e.testLoss())).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Training and test loss per epoch of each run, labelled by seed and learning rate where there are several. */
    private static byte[] historyPng(FigureText text, List<TrainedNetwork> runs) {
        List<LessonCharts.History> curves = new ArrayList<>();
        for (TrainedNetwork run : runs) {
            List<NetworkTrainer.Epoch> epochs = run.result().history();
            int[] epoch = new int[epochs.size()];
            double[] trainLoss = new double[epochs.size()];
            double[] testLoss = new double[epochs.size()];
            for (int e = 0; e < epoch.length; e++) {
                epoch[e] = epochs.get(e).epoch();
                trainLoss[e] = epochs.get(e).trainLoss();
                testLoss[e] = epochs.get(e).testLoss();
            }
            curves.add(new LessonCharts.History(text.get("history.run", Long.toString(run.run().seed()),
                    Numbers.compact(run.run().learningRate())), epoch, trainLoss, testLoss));
        }
        NetworkConfig config = runs.get(0).config();
        String title = text.get("history.title", config.model().toString(),
                Integer.toString(runs.get(0).model().network().inputs()), config.loss().label(), config.optimizer().cliName());
        return LessonCharts.history(text, title, config.loss().label(), curves);
    }

    private int sweep(Lossgrid lg, Training training, TrainConfig config, double[] rates) {
        List<Trained> runs = lg.sweep(training, rates);
        Text words = Text.of(language.language());
        ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
        summary.put("loss", config.loss().name());
        config.loss().parameters().forEach(summary::put);
        summary.put("optimizer", config.optimizer().cliName());
        ArrayNode runsJson = summary.putArray("sweep");
        StringBuilder table = new StringBuilder(words.get("sweep.header", rates.length, config.loss().label(),
                config.optimizer().cliName(), config.steps(), lg.backendName())).append('\n');
        String[] columns = words.get("sweep.columns").split("\\|");
        table.append(Text.pad(columns[0], 14)).append(Text.pad(columns[1], 15)).append(Text.pad(columns[2], 9)).append("  ")
                .append(columns[3]).append('\n');
        List<SweepPlot.Run> plotted = new ArrayList<>();
        for (int r = 0; r < rates.length; r++) {
            Trained run = runs.get(r);
            TrainResult result = run.result();
            String status = result.diverged()
                    ? words.get("sweep.diverged.at", result.steps(), Numbers.compact(result.lossBeforeDivergence()))
                    : words.get(result.converged() ? "sweep.converged" : "sweep.budget");
            table.append(String.format(Locale.ROOT, "%14.4g %15.6g %9d  %s%n", rates[r], run.trainLoss(), result.steps(),
                    status));
            ObjectNode row = runsJson.addObject();
            row.put("lr", rates[r]);
            row.put("train_loss", run.trainLoss());
            row.put("steps", result.steps());
            row.put("converged", result.converged());
            row.put("diverged", result.diverged());
            if (result.diverged()) {
                row.put("diverged_at_step", result.steps());
                row.put("loss_before_divergence", result.lossBeforeDivergence());
            }
            plotted.add(new SweepPlot.Run(rates[r], run.trainLoss(), result.steps(), result.converged(), result.diverged()));
        }
        ExactOptimum.Fit optimum = lg.optimum(config.loss(), config.intercept());
        table.append(words.get("sweep.optimum", String.format(Locale.ROOT, "%.6g", optimum.loss()))).append('\n');
        summary.put("optimum_loss", optimum.loss());
        summary.put("seconds", runs.get(0).result().seconds());
        if (png != null) {
            FigureText text = language.figures(console);
            AtomicOutput.write(png, SweepPlot.png(text, config.loss().label() + ", " + config.optimizer().cliName(),
                    config.steps(), plotted));
        }
        if (json) {
            console.json(summary);
        } else {
            console.out().print(table);
            console.wrote(words, png);
        }
        return 0;
    }

    static String report(Text words, Trained run, Split split, String backend) {
        TrainConfig config = run.config();
        TrainResult result = run.result();
        ExactOptimum.Fit optimum = run.optimum();
        StringBuilder o = new StringBuilder();
        double trainLoss = Reference.loss(config.loss(), split.train(), result.params());
        String norm = String.format(Locale.ROOT, "%.2g", result.gradientNorm());
        String status = result.diverged()
                ? words.get("train.status.diverged", result.steps(), Numbers.compact(result.lossBeforeDivergence()))
                : words.get(result.converged() ? "train.status.converged" : "train.status.budget", norm);
        o.append(words.get("train.header", config.loss().label(), config.optimizer().cliName(),
                Numbers.compact(config.learningRate()), config.schedule().cliName(),
                words.get(config.standardize() ? "train.units.standardized" : "train.units.raw"), backend)).append('\n');
        o.append(words.get("train.steps", result.steps(), status, String.format(Locale.ROOT, "%.3f", result.seconds()),
                String.format(Locale.ROOT, "%.2f", 1e6 * result.seconds() / Math.max(1, result.steps())))).append('\n');
        if (config.trajectoryEvery() > 1) {
            o.append(words.get("train.thinned", config.trajectoryEvery(), result.trajectory().size())).append('\n');
        }
        o.append(row("", words.get("train.trained"), words.get("train.optimum")));
        Params p = result.params();
        Params q = optimum.params();
        o.append(row("b", number(p.b()), number(q.b())));
        for (int j = 0; j < p.features(); j++) {
            o.append(row(ParamName.of(j + 1), number(p.w(j)), number(q.w(j))));
        }
        o.append(row(words.get("train.loss"), number(trainLoss), number(optimum.loss())).stripTrailing()).append("   ")
                .append(words.get("train.gap", String.format(Locale.ROOT, "%.3g", trainLoss - optimum.loss()),
                        String.format(Locale.ROOT, "%.2g", (trainLoss - optimum.loss()) / optimum.loss()))).append('\n');
        if (split.test().n() > 0) {
            o.append(row(words.get("train.test"), number(Reference.loss(config.loss(), split.test(), p)),
                    number(Reference.loss(config.loss(), split.test(), q))));
        }
        return o.toString();
    }

    private static String row(String label, String trained, String optimum) {
        return Text.pad(label, 14) + " " + Text.pad(trained, 16) + " " + Text.pad(optimum, 16) + "\n";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
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
