package org.lossgrid.cli;

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
import org.lossgrid.api.Training;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.i18n.Text;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.output.SweepPlot;
import org.lossgrid.reference.Reference;
import org.lossgrid.report.Json;
import org.lossgrid.surface.Axis;
import org.lossgrid.train.LearningRates;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.train.TrainResult;
import org.lossgrid.util.Numbers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false)
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions train;

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
