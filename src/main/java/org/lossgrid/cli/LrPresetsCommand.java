package org.lossgrid.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lesson;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.error.LossgridException;
import org.lossgrid.i18n.Text;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.output.PresetsFigure;
import org.lossgrid.report.Json;
import org.lossgrid.util.Numbers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lr-presets", mixinStandardHelpOptions = true, sortOptions = false)
final class LrPresetsCommand implements Callable<Integer> {
    /** GIF frames: one per step of the runs, at most. */
    static final int FRAMES = 61;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "60")
    int steps;

    @Option(names = "--gif", paramLabel = "FILE", converter = OutputFile.class)
    Path gif;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
    boolean json;

    private final Console console;

    LrPresetsCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        if (steps < 1 || steps > 10_000) {
            throw LossgridException.badInput("--steps must be between 1 and 10000, got " + steps);
        }
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("gif", gif);
        outputs.put("png", png);
        OutputPaths.checkDistinct(outputs, Map.of());
        try (Lossgrid lg = backendOptions.open(Data.sample(1), console); OutputSet files = new OutputSet()) {
            List<Lesson.Preset> presets = Lesson.learningRatePresets(lg, steps);
            FigureText text = gif != null || png != null ? language.figures(console) : null;
            if (text != null) {
                PresetsFigure figure = Lesson.presetsFigure(lg, presets, text);
                if (gif != null) {
                    files.write(gif, figure.gif(FRAMES));
                }
                if (png != null) {
                    files.write(png, figure.png());
                }
            }
            files.commit();
            ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
            summary.put("loss", "mse");
            summary.put("steps", steps);
            ArrayNode runs = summary.putArray("runs");
            Text words = Text.of(language.language());
            StringBuilder table = new StringBuilder(words.get("presets.header", steps, lg.backendName())).append('\n');
            String[] columns = words.get("presets.columns").split("\\|");
            table.append(Text.pad(columns[0], -20)).append(Text.pad(columns[1], 10)).append(Text.pad(columns[2], 14))
                    .append(Text.pad(columns[3], 15)).append("  ").append(columns[4]).append('\n');
            for (Lesson.Preset preset : presets) {
                json(runs.addObject(), preset);
                table.append(Text.pad(words.get(preset.standardized() ? "lr.standardized" : "lr.raw"), -20))
                        .append(Text.pad(String.format(Locale.ROOT, "%.0f%%", 100 * preset.fraction()), 10))
                        .append(Text.pad(Numbers.compact(preset.learningRate()), 14))
                        .append(Text.pad(String.format(Locale.ROOT, "%.6g", preset.run().trainLoss()), 15)).append("  ")
                        .append(words.get(preset.outcome()));
                if (preset.run().diverged()) {
                    table.append(words.get("presets.diverged.step", preset.run().result().steps()));
                }
                table.append('\n');
            }
            if (json) {
                console.json(summary);
            } else {
                console.out().print(table);
                console.wrote(words, gif, png);
            }
        }
        return 0;
    }

    /** One run of the experiment as JSON: its units, rate, loss, steps and what happened. */
    static void json(ObjectNode run, Lesson.Preset preset) {
        run.put("scale", preset.standardized() ? "standardize" : "none");
        run.put("fraction_of_stable_limit", preset.fraction());
        run.put("lr", preset.learningRate());
        run.put("train_loss", preset.run().trainLoss());
        run.put("steps", preset.run().result().steps());
        run.put("diverged", preset.run().diverged());
        run.put("outcome", preset.outcome().substring(3));
    }
}
