package org.lossgrid.cli;

import static org.lossgrid.error.LossgridException.param;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lossgrid.api.Landscape;
import org.lossgrid.api.LandscapeResult;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceFiles;
import org.lossgrid.api.TrainedNetwork;
import org.lossgrid.api.Training;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.i18n.Text;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.report.LandscapeJson;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.Directions;
import org.lossgrid.surface.LocalMinima;
import org.lossgrid.train.Optimizer;
import org.lossgrid.util.Bytes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "landscape", mixinStandardHelpOptions = true, sortOptions = false)
final class LandscapeCommand implements Callable<Integer> {
    /** Points of a pca run's recorded trajectory. */
    private static final int TRAJECTORY_POINTS = 25;

    @Option(names = "--params", paramLabel = "FILE")
    Path params;

    @Option(names = "--directions", paramLabel = "KIND", defaultValue = "filter")
    String directions;

    @Option(names = "--range", paramLabel = "A:B:N", defaultValue = "-1:1:51")
    String range;

    @Option(names = "--beta-range", paramLabel = "A:B:N")
    String betaRange;

    @Option(names = "--1d")
    boolean oneDimensional;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1")
    long seed;

    @Option(names = "--npy", paramLabel = "FILE", converter = OutputFile.class)
    Path npy;

    @Option(names = "--csv", paramLabel = "FILE", converter = OutputFile.class)
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Option(names = "--max-memory", paramLabel = "SIZE")
    String maxMemory;

    @Option(names = "--model", paramLabel = "MODEL")
    String model;

    @Option(names = "--epochs", paramLabel = "E")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B")
    Integer batch;

    @Option(names = "--loss", paramLabel = "mae|mse|huber")
    String loss;

    @Option(names = "--delta", paramLabel = "D")
    Double delta;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.1")
    double lr;

    @Option(names = "--optimizer", paramLabel = "gd|momentum|adam", defaultValue = "gd")
    String optimizer;

    @Option(names = "--scale", paramLabel = "standardize|none", defaultValue = "standardize")
    String scale;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Console console;

    LandscapeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("npy", npy);
        outputs.put("csv", csv);
        outputs.put("png", png);
        Map<String, Path> inputs = new LinkedHashMap<>(data.inputs());
        inputs.put("params", params);
        OutputPaths.checkDistinct(outputs, inputs);
        Directions.Choice choice = Directions.Choice.parse(directions);
        Axis alpha = Axis.parse(range, "range");
        if (oneDimensional && betaRange != null) {
            throw LossgridException.badInput(param("1d") + " computes only alpha, at beta = 0; leave out "
                    + param("beta-range"));
        }
        Axis beta = betaRange == null ? null : Axis.parse(betaRange, "beta-range");
        if (params != null) {
            refuseTrainOptions();
        } else if (model == null) {
            throw LossgridException.badInput("a landscape needs a trained network: give " + param("params")
                    + " FILE (from train --save-params), or train one here with " + param("model") + " (relu:10, ...)");
        }
        NetworkModel saved = params == null ? null : Lossgrid.readModel(params, given("--lags") ? data.lags : null);
        if (saved != null) {
            data.lags = saved.network().inputs();
        }
        Split split = data.load();
        try (Lossgrid lg = backendOptions.open(split, console)) {
            NetworkModel centre = saved;
            Loss lossFunction;
            Landscape.RecordedRun recorded = null;
            if (saved == null) {
                recorded = train(lg, split, choice.kind() == Directions.Kind.PCA);
                centre = recorded.run().model();
                lossFunction = recorded.run().config().loss();
            } else {
                lossFunction = Lossgrid.loss(loss != null ? loss : saved.loss(), loss != null ? delta : saved.delta(), split);
            }
            FigureText text = png != null ? language.figures(console) : FigureText.english();
            String source = params != null ? params.toString() : "trained";
            Landscape.Builder request = Landscape.of(centre, lossFunction).directions(choice).range(alpha).seed(seed)
                    .progress(console.progress("landscape"))
                    .files(SurfaceFiles.of(npy, csv, png, title(text, centre, lossFunction, choice)).in(text));
            if (maxMemory != null) {
                request.memoryBudget(Bytes.parse(maxMemory, "max-memory"));
            }
            if (oneDimensional) {
                request.oneDimensional();
            } else if (beta != null) {
                request.beta(beta);
            }
            if (recorded != null && choice.kind() == Directions.Kind.PCA) {
                request.trajectory(recorded.trajectory());
            }
            LandscapeResult result = lg.landscape(request.build());
            if (json) {
                console.json(LandscapeJson.summary(lg, lossFunction, source, result));
            } else {
                print(Text.of(language.language()), lg, lossFunction, source, result);
            }
        }
        return 0;
    }

    /** Trains the network the train options describe; with {@code recordTrajectory}, records its path for pca. */
    private Landscape.RecordedRun train(Lossgrid lg, Split split, boolean recordTrajectory) {
        ModelSpec modelSpec = ModelSpec.parse(model);
        if (modelSpec.linear()) {
            throw LossgridException.badInput(param("model") + " linear trains by gradient descent steps; its loss is "
                    + "convex and its surface is 'lossgrid surface'; give a network (relu:10, sigmoid:3, ...)");
        }
        String scaling = scale.trim().toLowerCase(Locale.ROOT);
        if (!scaling.equals("standardize") && !scaling.equals("none")) {
            throw LossgridException.badInput(param("scale") + ": unknown scaling '" + scale + "'; choose standardize or none");
        }
        Training.Builder builder = Training.of(Lossgrid.loss(loss == null ? "mae" : loss, delta, split)).model(modelSpec)
                .learningRate(lr).optimizer(Optimizer.Kind.parse(optimizer)).standardize(scaling.equals("standardize"))
                .seed(seed).progress(console.progress("train"));
        if (epochs != null) {
            builder.epochs(epochs);
        }
        if (batch != null) {
            builder.batch(batch);
        }
        Landscape.RecordedRun recorded = recordTrajectory ? Landscape.trainRecorded(lg, builder, TRAJECTORY_POINTS)
                : new Landscape.RecordedRun(lg.trainNetwork(builder.build()), java.util.List.of());
        TrainedNetwork run = recorded.run();
        if (run.diverged()) {
            throw new LossgridException(LossgridException.Kind.DIVERGED, run.divergence() + "; no landscape was computed");
        }
        return recorded;
    }

    /** With --params the model is trained already: the options that train one are refused by their flag. */
    private void refuseTrainOptions() {
        for (String flag : new String[] {"--model", "--epochs", "--batch", "--lr", "--optimizer", "--scale"}) {
            if (given(flag)) {
                throw LossgridException.badInput(param(flag.substring(2)) + " trains a network, but " + param("params")
                        + " gives a trained one; choose one of them");
            }
        }
    }

    private boolean given(String flag) {
        return spec.commandLine().getParseResult().hasMatchedOption(flag);
    }

    private static String title(FigureText text, NetworkModel centre, Loss loss, Directions.Choice choice) {
        return text.get("landscape.title", loss.label(), centre.network().spec().toString(),
                Integer.toString(centre.network().inputs()), choice.toString());
    }

    private void print(Text words, Lossgrid lg, Loss loss, String source, LandscapeResult result) {
        var out = console.out();
        var grid = result.surface().grid();
        out.println(words.get("landscape.summary", loss.label(), result.model().network().toString(), source,
                result.directions().label(), grid.rows(), grid.columns(), result.surface().samples()));
        out.println(words.get("surface.backend", lg.backendName(), lg.device().name(), result.surface().method()));
        double[] explained = result.directions().explained();
        if (explained != null) {
            out.println(words.get("landscape.explained", g(100 * explained[0]), g(100 * explained[1])));
        }
        out.println(words.get("landscape.centre", g(result.centreLoss())));
        out.println(words.get("landscape.min", g(result.surface().argmin().u()), g(result.surface().argmin().v()),
                g(result.surface().argmin().loss())));
        out.println(words.get(grid.rows() == 1 ? "landscape.minima.1d" : "landscape.minima", result.minimaCount()));
        for (LocalMinima.Minimum m : result.minima().subList(0, Math.min(5, result.minima().size()))) {
            out.println(String.format(Locale.ROOT, "  alpha = %s, beta = %s: L = %s", g(m.u()), g(m.v()), g(m.loss())));
        }
        if (result.surface().nonFinite() > 0) {
            out.println(words.get("surface.nonfinite", result.surface().nonFinite()));
        }
        out.println(words.get("surface.time", String.format(Locale.ROOT, "%.3f", result.surface().computeSeconds()),
                String.format(Locale.ROOT, "%.3g", result.surface().evalsPerSecond()),
                String.format(Locale.ROOT, "%.3f", result.surface().seconds())));
        console.wrote(words, npy, csv, png);
    }

    private static String g(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
