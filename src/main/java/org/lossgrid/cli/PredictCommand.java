package org.lossgrid.cli;

import static org.lossgrid.error.LossgridException.param;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lesson;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.data.Series;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.i18n.Text;
import org.lossgrid.loss.Loss;
import org.lossgrid.error.LossgridException;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.report.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false)
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae")
    String loss;

    @Option(names = "--delta", paramLabel = "D")
    Double delta;

    @Option(names = "--init", paramLabel = "b=..,w1=..")
    String init;

    @Option(names = "--params", paramLabel = "FILE")
    Path params;

    @Option(names = "--csv", paramLabel = "FILE", converter = OutputFile.class)
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Mixin
    DataOptions data;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Console console;

    PredictCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("csv", csv);
        outputs.put("png", png);
        Map<String, Path> inputs = new LinkedHashMap<>(data.inputs());
        inputs.put("params", params);
        OutputPaths.checkDistinct(outputs, inputs);
        if (params != null) {
            return saved();
        }
        Series series = data.series();
        LocalDate until = data.trainUntilDate();
        var split = series.lagFeatures(data.lags, until);
        Loss lossFunction = Lossgrid.loss(loss, delta, split);
        Params params = init == null ? ExactOptimum.fit(lossFunction, split.train(), true).params()
                : Params.parse(init, split.features(), "init");
        Lesson.Predictions predictions = Lesson.predict(series, until, lossFunction, params);
        try (OutputSet files = new OutputSet()) {
            if (csv != null) {
                files.write(csv, csv(predictions));
            }
            if (png != null) {
                files.write(png, png(language.figures(console), predictions, lossFunction, params.features()));
            }
            files.commit();
        }
        ObjectNode summary = Json.predictions(series.name(), lossFunction, init != null, params, predictions);
        if (json) {
            console.json(summary);
        } else {
            Text words = Text.of(language.language());
            List<String> values = new ArrayList<>();
            for (int p = 0; p <= params.features(); p++) {
                values.add(ParamName.of(p) + " = " + String.format(Locale.ROOT, "%.6g", params.get(p)));
            }
            console.out().println(words.get("predict.summary", params.features(), lossFunction.label(),
                    words.get(init == null ? "predict.source.optimum" : "predict.source.init"), String.join(", ", values)));
            console.out().println(words.get("predict.test", predictions.truth().length, predictions.first(),
                    String.format(Locale.ROOT, "%.1f", predictions.testLoss())));
            console.wrote(words, csv, png);
        }
        return 0;
    }

    /** Predictions of the model in the --params file, on its own lags unless --lags is given (then they must agree). */
    private int saved() {
        if (init != null) {
            throw LossgridException.badInput(param("init") + " and " + param("params") + " both give the parameters; "
                    + "choose one");
        }
        boolean lagsGiven = spec.commandLine().getParseResult().hasMatchedOption("--lags");
        NetworkModel model = Lossgrid.readModel(params, lagsGiven ? data.lags : null);
        Series series = data.series();
        LocalDate until = data.trainUntilDate();
        int lags = model.network().inputs();
        var split = series.lagFeatures(lags, until);
        Loss lossFunction = spec.commandLine().getParseResult().hasMatchedOption("--loss")
                ? Lossgrid.loss(loss, delta, split) : Lossgrid.loss(model.loss(), model.delta(), split);
        Lesson.Predictions predictions = Lesson.predict(series, until, lossFunction, model);
        String what = lossFunction.label() + ", " + model.network().spec();
        try (OutputSet files = new OutputSet()) {
            if (csv != null) {
                files.write(csv, csv(predictions));
            }
            if (png != null) {
                FigureText text = language.figures(console);
                String title = text.get("predict.title", Integer.toString(lags), what,
                        String.format(Locale.ROOT, "%.1f", predictions.testLoss()));
                files.write(png, LessonCharts.predictions(text, title, predictions.first(), predictions.truth(),
                        predictions.predicted(), null));
            }
            files.commit();
        }
        if (json) {
            console.json(Json.predictions(series.name(), lossFunction, params.toString(), model, predictions));
        } else {
            Text words = Text.of(language.language());
            console.out().println(words.get("predict.saved", lags, what, params, model.network().parameterCount()));
            console.out().println(words.get("predict.test", predictions.truth().length, predictions.first(),
                    String.format(Locale.ROOT, "%.1f", predictions.testLoss())));
            console.wrote(words, csv, png);
        }
        return 0;
    }

    /** date,views,predicted, one row per test day */
    private static byte[] csv(Lesson.Predictions predictions) {
        StringBuilder text = new StringBuilder("date,views,predicted\n");
        for (int i = 0; i < predictions.truth().length; i++) {
            text.append(predictions.first().plusDays(i)).append(',').append(predictions.truth()[i]).append(',')
                    .append(predictions.predicted()[i]).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** True and predicted views over the test days of a {@code lags}-day model, L' in the title. */
    static byte[] png(FigureText text, Lesson.Predictions predictions, Loss loss, int lags) {
        String title = text.get("predict.title", Integer.toString(lags), loss.label(),
                String.format(Locale.ROOT, "%.1f", predictions.testLoss()));
        return LessonCharts.predictions(text, title, predictions.first(), predictions.truth(), predictions.predicted(),
                lags == 1 ? text.get("predict.note") : null);
    }
}
