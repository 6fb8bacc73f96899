package org.lossgrid.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lesson;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceFiles;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.i18n.Text;
import org.lossgrid.loss.Loss;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.report.Json;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.surface.SurfaceResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "surface", mixinStandardHelpOptions = true, sortOptions = false)
final class SurfaceCommand implements Callable<Integer> {
    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae")
    String loss;

    @Option(names = "--delta", paramLabel = "D")
    Double delta;

    @Option(names = "--method", paramLabel = "auto|brute|exact-fast", defaultValue = "auto")
    String method;

    @Mixin
    SurfaceOptions surface;

    @Option(names = "--npy", paramLabel = "FILE", converter = OutputFile.class)
    Path npy;

    @Option(names = "--csv", paramLabel = "FILE", converter = OutputFile.class)
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1")
    int repeat;

    @Option(names = "--json")
    boolean json;

    @Mixin
    LanguageOption language;

    private final Console console;

    SurfaceCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Split split = data.load();
        Loss lossFunction = Lossgrid.loss(loss, delta, split);
        SurfaceRequest request = surface.request(lossFunction, SurfaceMethod.parse(method), split.features()).build();
        FigureText text = png != null ? language.figures(console) : FigureText.english();
        SurfaceFiles files = SurfaceFiles.of(npy, csv, png, text.get("surface.title", lossFunction.label(),
                text.dataName(split.train().name()))).in(text)
                .decorated(plot -> {
                    if (data.isBookExample(request)) {
                        plot.book(Lesson.BOOK_W, Lesson.BOOK_B);
                    }
                });
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("npy", npy);
        outputs.put("csv", csv);
        outputs.put("png", png);
        OutputPaths.checkDistinct(outputs, data.inputs());
        if (repeat < 1) {
            throw LossgridException.badInput("--repeat must be at least 1, got " + repeat);
        }
        try (Lossgrid lg = backendOptions.open(split, console)) {
            Slice slice = lg.slice(request);
            if (surface.atDefault() && !slice.held().isEmpty()) {
                console.log("surface: " + String.join(", ", slice.held().keySet()) + " held at 0; --at optimum holds "
                        + "them at the exact optimum, --at NAME=VALUE,... at values of your choice");
            }
            SurfaceResult result = lg.surface(request.withProgress(console.progress("surface")), files);
            for (int r = 1; r < repeat; r++) {
                SurfaceResult again = lg.surface(request, List.of());
                if (again.computeSeconds() < result.computeSeconds()) {
                    result = again;
                }
            }
            ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
            summary.put("loss", lossFunction.name());
            lossFunction.parameters().forEach(summary::put);
            summary.put("data", split.train().name());
            Json.surface(summary, result);
            if (json) {
                console.json(summary);
            } else {
                printText(lg, lossFunction, split, result);
            }
        }
        return 0;
    }

    private void printText(Lossgrid lg, Loss lossFunction, Split split, SurfaceResult result) {
        var out = console.out();
        Text words = Text.of(language.language());
        out.println(words.get("surface.summary", lossFunction.label(), split.train().name(), split.train().n(),
                result.grid().rows(), result.grid().columns(), result.slice().verticalName(), result.slice().horizontalName()));
        out.println(words.get("surface.backend", lg.backendName(), lg.device().name(), result.method()));
        if (!result.slice().held().isEmpty()) {
            List<String> held = new ArrayList<>();
            result.slice().held().forEach((name, value) -> held.add(String.format(Locale.ROOT, "%s = %.6g", name, value)));
            out.println(words.get("surface.held", String.join(", ", held)));
        }
        out.println(words.get("surface.argmin", result.slice().horizontalName(), g(result.argmin().u()),
                result.slice().verticalName(), g(result.argmin().v()), g(result.argmin().loss())));
        if (result.nonFinite() > 0) {
            out.println(words.get("surface.nonfinite", result.nonFinite()));
        }
        out.println(words.get("surface.time", String.format(Locale.ROOT, "%.3f", result.computeSeconds()),
                String.format(Locale.ROOT, "%.3g", result.evalsPerSecond()), String.format(Locale.ROOT, "%.3f",
                        result.seconds())));
        console.wrote(words, npy, csv, png);
    }

    private static String g(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
