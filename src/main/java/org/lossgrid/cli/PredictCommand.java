package org.lossgrid.cli;

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
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.report.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false)
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae")
    String loss;

    @Option(names = "--delta", paramLabel = "D")
    Double delta;

    @Option(names = "--init", paramLabel = "b=..,w1=..")
    String init;

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
        Params params = init == null ? ExactOptimum.fit(lossFunction, split.train(), true).params()
                : Params.parse(init, split.features(), "init");
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

    /** True and predicted views over the test days of a {@code lags}-day model, L' in the title. */
    static byte[] png(FigureText text, Lesson.Predictions predictions, Loss loss, int lags) {
        String title = text.get("predict.title", Integer.toString(lags), loss.label(),
                String.format(Locale.ROOT, "%.1f", predictions.testLoss()));
        return LessonCharts.predictions(text, title, predictions.first(), predictions.truth(), predictions.predicted(),
                lags == 1 ? text.get("predict.note") : null);
    }
}
