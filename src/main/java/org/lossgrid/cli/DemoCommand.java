package org.lossgrid.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceFiles;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.api.Trained;
import org.lossgrid.api.Training;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.OutputSet;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.SurfaceResult;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.train.TrainResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The book's example on the bundled sample channel: trains the 1-day MAE model y = b + w*x1",
            "by gradient descent, draws its error surface with the path, fits the 7-, 28- and 56-day models,",
            "and prints every number beside the book's. Writes surface.png, surface.npy and summary.json to --out."})
final class DemoCommand implements Callable<Integer> {
    /** The book's figures (《深度学习详解》 1.1): w*, b*, and L (2017-2020) / L' (2021) per number of lags. */
    static final double BOOK_W = 0.97;
    static final double BOOK_B = 100;
    static final int[] LAGS = {1, 7, 28, 56};
    static final double[] BOOK_TRAIN = {480, 380, Double.NaN, Double.NaN};
    static final double[] BOOK_TEST = {580, 490, 460, 460};

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
    public Integer call() {
        if (points < 2) {
            throw LossgridException.badInput("--grid must be at least 2, got " + points);
        }
        Path summaryFile = out.resolve("summary.json");
        Split split = Data.sample(1);
        Loss loss = Loss.MAE;
        Training training = Training.of(loss).schedule(TrainConfig.Schedule.INVERSE_SQRT).build();
        boolean created = !Files.exists(out);
        try {
            try (Lossgrid lg = backendOptions.open(split, console); OutputSet outputs = new OutputSet()) {
                createFolder();
                AtomicOutput.checkWritable(summaryFile);
                ExactOptimum.Fit exact = lg.optimum(loss);
                Trained trained = lg.train(training);
                SurfaceRequest request = SurfaceRequest.of(loss)
                        .grid(new Axis(-0.1, 1.3, points), new Axis(-1500, 1500, points)).build();
                SurfaceFiles files = SurfaceFiles.of(out.resolve("surface.npy"), null, out.resolve("surface.png"),
                        "MAE error surface and gradient descent, 1-day model, sample channel 2017-2020")
                        .decorated(plot -> plot.path(trained.result().trajectory().stream()
                                .map(p -> new double[] {p.params().w(0), p.params().b()}).toList())
                                .optimum(exact.params().w(0), exact.params().b()).book(BOOK_W, BOOK_B));
                SurfaceResult surface = lg.surface(request, files, outputs);
                ObjectNode summary = TrainCommand.summary(lg, trained);
                Json.surface(summary, surface);
                ArrayNode lags = summary.putArray("lags");
                StringBuilder lagTable = new StringBuilder();
                for (int m = 0; m < LAGS.length; m++) {
                    Split lagged = Data.sample(LAGS[m]);
                    ExactOptimum.Fit fit = LAGS[m] == 1 ? exact : ExactOptimum.fit(loss, lagged.train(), true);
                    double test = Reference.loss(loss, lagged.test(), fit.params());
                    ObjectNode row = lags.addObject();
                    row.put("lags", LAGS[m]);
                    row.put("train_loss", fit.loss());
                    row.put("test_loss", test);
                    lagTable.append(String.format(Locale.ROOT, "  %2d days  %9.1f %9.1f %9s %9s%n", LAGS[m], fit.loss(), test,
                            book(BOOK_TRAIN[m]), book(BOOK_TEST[m])));
                }
                ObjectNode book = summary.putObject("book");
                book.put("w", BOOK_W);
                book.put("b", BOOK_B);
                book.put("train_loss", BOOK_TRAIN[0]);
                book.put("test_loss", BOOK_TEST[0]);
                outputs.write(summaryFile, Json.bytes(summary));
                outputs.commit();
                if (json) {
                    console.json(summary);
                } else {
                    print(lg, trained.result(), exact, surface, lagTable);
                }
            }
            created = false;
        } finally {
            if (created) {
                removeIfEmpty();
            }
        }
        return 0;
    }

    /** A folder this run created and left empty (it failed) goes again. */
    private void removeIfEmpty() {
        try {
            Files.deleteIfExists(out);
        } catch (java.io.IOException e) {
            // not empty, or not ours to remove: leave it
        }
    }

    private static String book(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private void createFolder() {
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException | SecurityException e) {
            throw LossgridException.badInput("--out: cannot create the folder " + out + ": " + e.getMessage());
        }
    }

    private void print(Lossgrid lg, TrainResult trained, ExactOptimum.Fit exact, SurfaceResult surface,
            StringBuilder lagTable) {
        var o = console.out();
        Split split = lg.data();
        double trainLoss = lg.trainLoss(Loss.MAE, trained.params());
        double testLoss = lg.testLoss(Loss.MAE, trained.params());
        o.println("lossgrid demo: the book's example (Hung-yi Lee, 深度学习详解 1.1) on the bundled sample channel");
        o.printf(Locale.ROOT, "model y = b + w*x1 (x1: the day before's views), loss MAE, train 2017-2020 (%d days), test 2021 (%d)%n",
                split.train().n(), split.test().n());
        o.printf(Locale.ROOT, "gradient descent on %s: lr 0.1/sqrt(1+t), standardized units, from w = b = 0, %d steps in %.2f s%n%n",
                lg.backendName(), trained.steps(), trained.seconds());
        o.println("               trained     exact      book");
        o.printf(Locale.ROOT, "  w*         %9.4f %9.4f %9.2f%n", trained.params().w(0), exact.params().w(0), BOOK_W);
        o.printf(Locale.ROOT, "  b*         %9.1f %9.1f %9.0f%n", trained.params().b(), exact.params().b(), BOOK_B);
        o.printf(Locale.ROOT, "  L  (train) %9.1f %9.1f %9.0f%n", trainLoss, exact.loss(), BOOK_TRAIN[0]);
        o.printf(Locale.ROOT, "  L' (2021)  %9.1f %9.1f %9.0f%n%n", testLoss, lg.testLoss(Loss.MAE, exact.params()),
                BOOK_TEST[0]);
        o.println("  exact MAE fits   L (train) L' (2021)    book L   book L'");
        o.print(lagTable);
        o.printf(Locale.ROOT, "%nerror surface: %d x %d grid x %d samples, %s on %s, in %.3f s%n",
                surface.grid().rows(), surface.grid().columns(), surface.samples(), surface.method(),
                surface.method().equals("brute") ? lg.backendName() : "cpu", surface.computeSeconds());
        o.printf(Locale.ROOT, "wrote %s, %s, %s%n", out.resolve("surface.png"), out.resolve("surface.npy"),
                out.resolve("summary.json"));
    }
}
