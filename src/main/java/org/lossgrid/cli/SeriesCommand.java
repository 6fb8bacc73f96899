package org.lossgrid.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.data.Series;
import org.lossgrid.i18n.Text;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.report.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "series", mixinStandardHelpOptions = true, sortOptions = false)
final class SeriesCommand implements Callable<Integer> {
    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Mixin
    DataOptions data;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
    boolean json;

    private final Console console;

    SeriesCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("png", png);
        OutputPaths.checkDistinct(outputs, data.inputs());
        Series series = data.series();
        LocalDate until = data.trainUntilDate();
        double[] views = series.views();
        int trainDays = 0;
        double sum = 0;
        for (int d = 0; d < views.length; d++) {
            trainDays += series.date(d).isAfter(until) ? 0 : 1;
            sum += views[d];
        }
        if (png != null) {
            FigureText text = language.figures(console);
            AtomicOutput.write(png, LessonCharts.series(text, series.name(), series.first(), views, until));
        }
        ObjectNode summary = Json.object();
        summary.put("data", series.name());
        summary.put("first", series.first().toString());
        summary.put("last", series.last().toString());
        summary.put("days", series.days());
        summary.put("train_days", trainDays);
        summary.put("test_days", series.days() - trainDays);
        summary.put("mean_views", sum / views.length);
        if (json) {
            console.json(summary);
        } else {
            Text words = Text.of(language.language());
            console.out().println(words.get("series.summary", series.name(), series.days(), series.first(), series.last(),
                    trainDays, until, series.days() - trainDays, String.format(Locale.ROOT, "%.1f", sum / views.length)));
            console.wrote(words, png);
        }
        return 0;
    }
}
