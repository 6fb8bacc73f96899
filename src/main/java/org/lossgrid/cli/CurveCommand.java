package org.lossgrid.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lesson;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.i18n.Text;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.report.Json;
import org.lossgrid.surface.Axis;
import org.lossgrid.util.Numbers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "curve", mixinStandardHelpOptions = true, sortOptions = false)
final class CurveCommand implements Callable<Integer> {
    @Option(names = "--param", paramLabel = "NAME", defaultValue = "w1")
    String param;

    @Option(names = "--range", paramLabel = "MIN:MAX:N")
    String range;

    @Option(names = "--at", paramLabel = "NAME=VALUE,...|optimum", defaultValue = "optimum")
    String at;

    @Option(names = "--w0", paramLabel = "X")
    Double w0;

    @Option(names = "--lr", paramLabel = "ETA")
    Double lr;

    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae")
    String loss;

    @Option(names = "--delta", paramLabel = "D")
    Double delta;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Option(names = "--csv", paramLabel = "FILE", converter = OutputFile.class)
    Path csv;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
    boolean json;

    private final Console console;

    CurveCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("csv", csv);
        outputs.put("png", png);
        OutputPaths.checkDistinct(outputs, data.inputs());
        Split split = data.load();
        Loss lossFunction = Lossgrid.loss(loss, delta, split);
        int index = ParamName.parse(param, split.features(), "param");
        try (Lossgrid lg = backendOptions.open(split, console)) {
            Params held = Lesson.held(lg, lossFunction, index, at);
            Axis axis = range != null ? Axis.parse(range, "range") : Lesson.around(lg, lossFunction, index);
            double touch = w0 != null ? w0 : axis.value(axis.n() / 4);
            Lesson.Curve curve = Lesson.curve(lg, lossFunction, ParamName.of(index), axis, held, touch);
            double eta = lr != null ? lr : 0.1 * (axis.max() - axis.min()) / Math.max(Math.abs(curve.slope()), 1e-300);
            if (!(eta > 0) || !Double.isFinite(eta)) {
                throw LossgridException.badInput("--lr must be a positive finite number, got " + eta);
            }
            try (OutputSet files = new OutputSet()) {
                if (csv != null) {
                    StringBuilder text = new StringBuilder(ParamName.of(index) + ",loss\n");
                    for (int i = 0; i < curve.u().length; i++) {
                        text.append(curve.u()[i]).append(',').append(curve.loss()[i]).append('\n');
                    }
                    files.write(csv, text.toString().getBytes(StandardCharsets.UTF_8));
                }
                if (png != null) {
                    files.write(png, png(language.figures(console), curve, lossFunction, eta));
                }
                files.commit();
            }
            ObjectNode summary = Json.curve(lg, lossFunction, curve);
            summary.put("lr", eta);
            summary.put("step", -eta * curve.slope());
            if (json) {
                console.json(summary);
            } else {
                Text words = Text.of(language.language());
                String name = ParamName.of(index);
                console.out().println(words.get("curve.summary", lossFunction.label(), name, Numbers.compact(axis.min()) + ":"
                        + Numbers.compact(axis.max()) + ":" + axis.n(), lg.backendName(),
                        describe(held, index)));
                console.out().println(words.get("curve.at", name, g(curve.w0()), g(curve.lossAtW0()), g(curve.slope()),
                        String.format(Locale.ROOT, "%.3g", eta), g(curve.w0() - eta * curve.slope())));
                console.out().println(words.get("curve.min", name, g(curve.minimumAt()), g(curve.minimum())));
                console.wrote(words, csv, png);
            }
        }
        return 0;
    }

    /** The curve's figure: the curve, its tangent, the step of learning rate {@code eta} and the minimum on the curve. */
    static byte[] png(FigureText text, Lesson.Curve curve, Loss loss, double eta) {
        int index = ParamName.parse(curve.parameter(), curve.held().features(), "param");
        String title = text.get("curve.title", curve.parameter(), loss.label(), describe(curve.held(), index));
        return LessonCharts.curve(text, title, curve.parameter(), curve.u(), curve.loss(), curve.w0(), curve.lossAtW0(),
                curve.slope(), eta, curve.minimumAt(), curve.minimum(), List.of(text.get("curve.convex")));
    }

    private static String g(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    private static String describe(Params held, int index) {
        List<String> parts = new ArrayList<>();
        for (int p = 0; p <= held.features(); p++) {
            if (p != index) {
                parts.add(ParamName.of(p) + " = " + String.format(Locale.ROOT, "%.4g", held.get(p)));
            }
        }
        return String.join(", ", parts);
    }
}
