package org.lossgrid.cli;

import java.awt.image.BufferedImage;
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
import org.lossgrid.output.FigureText;
import org.lossgrid.output.Gif;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.util.Numbers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lr-presets", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The learning rate (a hyperparameter) experiment: plain gradient descent on the 1-day MSE",
            "model from w = b = 0 with four rates, 1%, 50%, 97% and 115% of the largest stable one, which",
            "crawl, converge, oscillate and diverge, in the book's raw units and in standardized units."},
        footer = {"", "Example:", "  lossgrid lr-presets --gif lr-presets.gif --png lr-presets.png"})
final class LrPresetsCommand implements Callable<Integer> {
    /** GIF frames: one per step of the runs, at most. */
    static final int FRAMES = 61;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "60", description = "Steps of each run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--gif", paramLabel = "FILE", converter = OutputFile.class, description = "Animate the runs side by side.")
    Path gif;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class, description = "Draw the whole runs side by side.")
    Path png;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json", description = "Print one JSON summary object on stdout instead of text.")
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
            if (gif != null) {
                List<BufferedImage> frames = Lesson.presetsFigure(lg, presets, text, Math.min(FRAMES, steps + 1));
                int[] delays = new int[frames.size()];
                java.util.Arrays.fill(delays, 12);
                delays[delays.length - 1] = 300;
                files.write(gif, Gif.encode(frames, delays));
            }
            if (png != null) {
                files.write(png, org.lossgrid.output.LessonCharts.png(Lesson.presetsFigure(lg, presets, text, 1).get(0)));
            }
            files.commit();
            ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
            summary.put("loss", "mse");
            summary.put("steps", steps);
            ArrayNode runs = summary.putArray("runs");
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                    "learning-rate presets: MSE, plain GD from w = b = 0, %d steps, on %s%n", steps, lg.backendName()));
            table.append(String.format(Locale.ROOT, "%-13s %10s %12s %14s  %s%n", "units", "of limit", "lr", "train loss",
                    "what happened"));
            for (Lesson.Preset preset : presets) {
                ObjectNode run = runs.addObject();
                run.put("scale", preset.standardized() ? "standardize" : "none");
                run.put("fraction_of_stable_limit", preset.fraction());
                run.put("lr", preset.learningRate());
                run.put("train_loss", preset.run().trainLoss());
                run.put("steps", preset.run().result().steps());
                run.put("diverged", preset.run().diverged());
                run.put("outcome", preset.outcome().substring(3));
                table.append(String.format(Locale.ROOT, "%-13s %9.0f%% %12s %14.6g  %s%n",
                        preset.standardized() ? "standardized" : "raw", 100 * preset.fraction(),
                        Numbers.compact(preset.learningRate()), preset.run().trainLoss(),
                        org.lossgrid.i18n.Text.of(language.language()).get(preset.outcome())));
            }
            if (json) {
                console.json(summary);
            } else {
                console.out().print(table);
                for (Path written : new Path[] {gif, png}) {
                    if (written != null) {
                        console.out().println("wrote " + written);
                    }
                }
            }
        }
        return 0;
    }
}
