package org.lossgrid.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lesson;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.data.Series;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicted against true views over the test period. The parameters are the exact optimum of",
            "the loss on the training data, or --init. The book's point: the 1-day model's prediction is",
            "nearly the truth shifted by one day."},
        footer = {"", "Examples:", "  lossgrid predict --png predictions.png",
            "  lossgrid predict --init b=100,w1=0.97 --csv book.csv     (the book's parameters)"})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--delta", paramLabel = "D", description = "Huber's delta (default: the usual choice).")
    Double delta;

    @Option(names = "--init", paramLabel = "b=..,w1=..",
            description = "Parameters to predict with, in original units (default: the exact optimum).")
    String init;

    @Option(names = "--csv", paramLabel = "FILE", converter = OutputFile.class, description = "Write date,views,predicted.")
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class, description = "Draw true and predicted views.")
    Path png;

    @Mixin
    DataOptions data;

    @Mixin
    LanguageOption language;

    @Option(names = "--json", description = "Print one JSON summary object on stdout instead of text.")
    boolean json;

    private final Console console;

    PredictCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("csv", csv);
        outputs.put("png", png);
        OutputPaths.checkDistinct(outputs, data.inputs());
        Series series = data.series();
        LocalDate until = data.trainUntilDate();
        var split = series.lagFeatures(data.lags, until);
        Loss lossFunction = Lossgrid.loss(loss, delta, split);
        Params params;
        String source;
        if (init == null) {
            params = ExactOptimum.fit(lossFunction, split.train(), true).params();
            source = "exact optimum";
        } else {
            params = Params.zeros(split.features());
            for (Map.Entry<Integer, Double> e : ParamName.parseAssignments(init, split.features(), "init").entrySet()) {
                params = params.with(e.getKey(), e.getValue());
            }
            source = "init";
        }
        Lesson.Predictions predictions = Lesson.predict(series, until, lossFunction, params);
        try (OutputSet files = new OutputSet()) {
            if (csv != null) {
                StringBuilder text = new StringBuilder("date,views,predicted\n");
                for (int i = 0; i < predictions.truth().length; i++) {
                    text.append(predictions.first().plusDays(i)).append(',').append(predictions.truth()[i]).append(',')
                            .append(predictions.predicted()[i]).append('\n');
                }
                files.write(csv, text.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (png != null) {
                FigureText text = language.figures(console);
                String title = text.get("predict.title", Integer.toString(params.features()), lossFunction.label(),
                        String.format(Locale.ROOT, "%.1f", predictions.testLoss()));
                files.write(png, LessonCharts.predictions(text, title, predictions.first(), predictions.truth(),
                        predictions.predicted(), params.features() == 1 ? text.get("predict.note") : null));
            }
            files.commit();
        }
        ObjectNode summary = Json.object();
        summary.put("data", series.name());
        summary.put("loss", lossFunction.name());
        lossFunction.parameters().forEach(summary::put);
        summary.put("parameters", source);
        Json.params(summary.putObject("params"), params);
        summary.put("test_days", predictions.truth().length);
        summary.put("first", predictions.first().toString());
        summary.put("test_loss", predictions.testLoss());
        if (json) {
            console.json(summary);
        } else {
            console.out().printf(Locale.ROOT, "%d-day model (%s, %s): b = %.6g", params.features(), lossFunction.label(),
                    source, params.b());
            for (int j = 0; j < params.features(); j++) {
                console.out().printf(Locale.ROOT, ", %s = %.6g", ParamName.of(j + 1), params.w(j));
            }
            console.out().printf(Locale.ROOT, "%nL' over %d test days from %s: %.1f (book, 1-day model: 580)%n",
                    predictions.truth().length, predictions.first(), predictions.testLoss());
            for (Path written : new Path[] {csv, png}) {
                if (written != null) {
                    console.out().println("wrote " + written);
                }
            }
        }
        return 0;
    }
}
