package org.lossgrid.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.data.Series;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "series", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The data (the book's Fig 1.1): daily views over time, the train/test split marked and the",
            "test period shaded, above the last 8 weeks of training data, where the weekly cycle shows."},
        footer = {"", "Example:", "  lossgrid series --png series.png"})
final class SeriesCommand implements Callable<Integer> {
    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class, description = "Draw the series.")
    Path png;

    @Mixin
    DataOptions data;

    @Mixin
    LanguageOption language;

    @Option(names = "--json", description = "Print one JSON summary object on stdout instead of text.")
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
            console.out().printf(Locale.ROOT, "%s: %d days from %s to %s, %d up to %s train, %d test; mean %.1f views%n",
                    series.name(), series.days(), series.first(), series.last(), trainDays, until,
                    series.days() - trainDays, sum / views.length);
            if (png != null) {
                console.out().println("wrote " + png);
            }
        }
        return 0;
    }
}
