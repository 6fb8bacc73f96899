package org.lossgrid.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceFiles;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.surface.SurfaceResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "surface", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates the loss L(w, b) on a grid (the book's error surface) over the training samples.",
            "Outputs: NPY (float32, shape (nb, nw), row = b), long-format CSV, and a PNG contour map."},
        footer = {"", "Example:", "  lossgrid surface --w 0.5:1.5:1024 --b -1000:1500:1024 --loss mae --png surface.png"})
final class SurfaceCommand implements Callable<Integer> {
    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--delta", paramLabel = "D",
            description = "Huber's delta, in views (default: 1.345 x the robust scale of the exact MAE fit's residuals).")
    Double delta;

    @Option(names = "--method", paramLabel = "auto|brute|exact-fast", defaultValue = "auto",
            description = {"brute: every grid point over every sample, on the backend (the reference; the GPU showcase).",
                "exact-fast: closed form (MSE) or sorting (MAE), O(N) per grid column, on the CPU.",
                "auto (default): exact-fast for mae and mse, brute for huber. The summary says which ran."})
    String method;

    @Mixin
    SurfaceOptions surface;

    @Option(names = "--npy", paramLabel = "FILE", converter = OutputFile.class, description = "Write the surface as NPY (streamed, any size).")
    Path npy;

    @Option(names = "--csv", paramLabel = "FILE", converter = OutputFile.class, description = "Write the surface as CSV lines w,b,loss (streamed).")
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class, description = "Draw the surface as a contour map.")
    Path png;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1",
            description = "Compute the surface R times and report the fastest run, for timing (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--json", description = "Print one JSON summary object on stdout instead of text.")
    boolean json;

    private final Console console;

    SurfaceCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Split split = data.load();
        Loss lossFunction = Lossgrid.loss(loss, delta, split);
        SurfaceRequest request = surface.request(lossFunction, SurfaceMethod.parse(method), split.features()).build();
        SurfaceFiles files = SurfaceFiles.of(npy, csv, png, lossFunction.label()
                + " error surface: " + split.train().name());
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
        out.printf(Locale.ROOT, "%s surface of %s: %d samples, %d x %d grid (%s x %s)%n",
                lossFunction.label(), split.train().name(), split.train().n(),
                result.grid().rows(), result.grid().columns(), result.slice().verticalName(), result.slice().horizontalName());
        out.printf(Locale.ROOT, "backend   %s (%s), method %s%n", lg.backendName(), lg.device().name(), result.method());
        if (!result.slice().held().isEmpty()) {
            List<String> held = new ArrayList<>();
            result.slice().held().forEach((name, value) -> held.add(String.format(Locale.ROOT, "%s = %.6g", name, value)));
            out.println("held      " + String.join(", ", held));
        }
        out.printf(Locale.ROOT, "argmin    %s = %.6g, %s = %.6g, loss = %.6g%n", result.slice().horizontalName(),
                result.argmin().u(), result.slice().verticalName(), result.argmin().v(), result.argmin().loss());
        if (result.nonFinite() > 0) {
            out.printf(Locale.ROOT, "note      %d grid points have no finite loss (float32 overflow); the argmin ignores "
                    + "them and the picture shows them grey%n", result.nonFinite());
        }
        out.printf(Locale.ROOT, "time      %.3f s computing (%.3g evals/s), %.3f s in all%n", result.computeSeconds(),
                result.evalsPerSecond(), result.seconds());
        for (Path written : new Path[] {npy, csv, png}) {
            if (written != null) {
                out.println("wrote     " + written);
            }
        }
    }
}
