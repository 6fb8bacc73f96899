package org.lossgrid.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.data.SampleChannel;
import org.lossgrid.data.Series;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceEvaluator;
import org.lossgrid.surface.SurfaceResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The book's example on the bundled sample channel: fits the 1-day MAE model y = b + w*x1,",
            "evaluates its error surface, writes surface.png, surface.npy and summary.json to --out, and",
            "prints our numbers beside the book's (w* = 0.97, b* = 100, L = 480, L' = 580)."})
final class DemoCommand implements Callable<Integer> {
    /** The book's 1-day figures (《深度学习详解》 1.1): w*, b*, L on 2017-2020, L' on 2021. */
    static final double BOOK_W = 0.97;
    static final double BOOK_B = 100;
    static final double BOOK_TRAIN = 480;
    static final double BOOK_TEST = 580;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "lossgrid-demo",
            description = "Folder for the outputs, created if needed (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--grid", paramLabel = "N", defaultValue = "1024",
            description = "Points per side of the surface (default: ${DEFAULT-VALUE}).")
    int points;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--json", description = "Print one JSON summary object on stdout instead of text.")
    boolean json;

    private final Console console;

    DemoCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (points < 2) {
            throw LossgridException.badInput("--grid must be at least 2, got " + points);
        }
        createFolder();
        Split split = SampleChannel.bundled().lagFeatures(1, Series.DEFAULT_TRAIN_UNTIL);
        Loss loss = Loss.MAE;
        ExactOptimum.Fit fit = ExactOptimum.fit(loss, split.train(), true);
        Params best = fit.params();
        double testLoss = Reference.loss(loss, split.test(), best);
        GridSpec grid = new GridSpec(new Axis(best.w(0) - 0.35, best.w(0) + 0.35, points),
                new Axis(best.b() - 1500, best.b() + 1500, points));
        SurfaceRun run = new SurfaceRun();
        run.npy = out.resolve("surface.npy");
        run.png = out.resolve("surface.png");
        run.title = "MAE error surface, 1-day model: sample channel 2017-2020";
        Path summaryFile = out.resolve("summary.json");
        org.lossgrid.output.AtomicOutput.checkWritable(summaryFile);
        try (Backend backend = backendOptions.open(console); DeviceDataset dataset = backend.upload(split.train())) {
            SurfaceResult surface = run.run(dataset, loss, Slice.wb(Params.zeros(1)), grid,
                    SurfaceEvaluator.defaultBudget(), console);
            ObjectNode summary = Json.backend(Json.object(), backend.name(), backend.device());
            summary.put("loss", loss.name());
            summary.put("data", split.train().name());
            Json.surface(summary, surface);
            ObjectNode optimum = summary.putObject("optimum");
            Json.params(optimum, best);
            optimum.put("loss", fit.loss());
            summary.put("train_loss", fit.loss());
            summary.put("test_loss", testLoss);
            ObjectNode book = summary.putObject("book");
            book.put("w", BOOK_W);
            book.put("b", BOOK_B);
            book.put("train_loss", BOOK_TRAIN);
            book.put("test_loss", BOOK_TEST);
            Json.write(summaryFile, summary);
            if (json) {
                Json.print(console.out(), summary);
            } else {
                print(split, best, fit.loss(), testLoss, surface, backend);
            }
        }
        return 0;
    }

    private void createFolder() {
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException | SecurityException e) {
            throw LossgridException.badInput("--out: cannot create the folder " + out + ": " + e.getMessage());
        }
    }

    private void print(Split split, Params best, double trainLoss, double testLoss, SurfaceResult surface, Backend backend) {
        var o = console.out();
        o.println("lossgrid demo: the book's example (Hung-yi Lee, 深度学习详解 1.1) on the bundled sample channel");
        o.printf(Locale.ROOT, "model y = b + w*x1 (x1 = yesterday's views), loss MAE; train %d days (2017-2020), test %d days (2021)%n%n",
                split.train().n(), split.test().n());
        o.println("                 lossgrid      book");
        o.printf(Locale.ROOT, "  w*           %10.4f  %8.2f%n", best.w(0), BOOK_W);
        o.printf(Locale.ROOT, "  b*           %10.1f  %8.0f%n", best.b(), BOOK_B);
        o.printf(Locale.ROOT, "  L  (train)   %10.1f  %8.0f%n", trainLoss, BOOK_TRAIN);
        o.printf(Locale.ROOT, "  L' (2021)    %10.1f  %8.0f%n%n", testLoss, BOOK_TEST);
        o.printf(Locale.ROOT, "error surface: %d x %d grid x %d samples on %s in %.3f s (%.3g evals/s)%n",
                surface.grid().rows(), surface.grid().columns(), surface.samples(), backend.name(),
                surface.computeSeconds(), surface.evalsPerSecond());
        o.printf(Locale.ROOT, "wrote %s, %s, %s%n", out.resolve("surface.png"), out.resolve("surface.npy"),
                out.resolve("summary.json"));
    }
}
