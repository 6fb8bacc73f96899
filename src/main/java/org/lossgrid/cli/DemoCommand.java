package org.lossgrid.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lesson;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceFiles;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.api.Trained;
import org.lossgrid.api.Training;
import org.lossgrid.data.Series;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.i18n.Text;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.DescentAnimation;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.LessonPage;
import org.lossgrid.output.OutputSet;
import org.lossgrid.output.PresetsFigure;
import org.lossgrid.report.Json;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.SurfaceResult;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.util.Numbers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false)
final class DemoCommand implements Callable<Integer> {
    /** The files the demo writes into --out, index.html last, in the book's order. */
    static final List<String> FIGURES = List.of("series.png", "surface.png", "curve.png", "lr-presets.gif", "descent.gif",
            "predictions.png", "lags.png");

    /** The 1-D curve's start and the learning-rate experiment's steps, as the book draws them. */
    private static final double CURVE_W0 = 0.7;
    private static final int PRESET_STEPS = 60;
    private static final int PRESET_FRAMES = 61;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "lossgrid-demo")
    Path out;

    @Option(names = "--grid", paramLabel = "N", defaultValue = "1024")
    int points;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
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
        Series series = Data.sampleSeries();
        Split split = Data.sample(1);
        Loss loss = Loss.MAE;
        Text words = Text.of(language.language());
        Training training = Training.of(loss).schedule(TrainConfig.Schedule.INVERSE_SQRT).build();
        boolean created = !Files.exists(out);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, Runtime.getRuntime().availableProcessors()),
                runnable -> {
                    Thread thread = new Thread(runnable, "lossgrid-figures");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            try (Lossgrid lg = backendOptions.open(split, console); OutputSet outputs = new OutputSet()) {
                createFolder();
                for (String file : FIGURES) {
                    AtomicOutput.checkWritable(out.resolve(file));
                }
                FigureText text = language.figures(console);
                ExactOptimum.Fit exact = lg.optimum(loss);
                Trained trained = lg.train(training);
                Lesson.Curve curve = Lesson.curve(lg, loss, "w1", new Axis(-0.1, 1.9, 401), exact.params(), CURVE_W0);
                double eta = 0.1 * 2.0 / Math.abs(curve.slope());
                List<Lesson.Preset> presets = Lesson.learningRatePresets(lg, PRESET_STEPS);
                PresetsFigure presetsFigure = Lesson.presetsFigure(lg, presets, text);
                Lesson.Predictions predictions = Lesson.predict(series, Data.DEFAULT_TRAIN_UNTIL, loss, exact.params());
                Future<List<Lesson.LagModel>> lagModels = pool.submit(() -> Lesson.lagModels(series, Data.DEFAULT_TRAIN_UNTIL,
                        loss));

                Map<String, Future<byte[]>> drawn = new LinkedHashMap<>();
                drawn.put("series.png", pool.submit(() -> LessonCharts.series(text, series.name(), series.first(),
                        series.views(), Data.DEFAULT_TRAIN_UNTIL)));
                drawn.put("lr-presets.gif", pool.submit(() -> presetsFigure.gif(PRESET_FRAMES)));
                drawn.put("curve.png", pool.submit(() -> CurveCommand.png(text, curve, loss, eta)));
                drawn.put("predictions.png", pool.submit(() -> PredictCommand.png(text, predictions, loss, 1)));
                drawn.put("lags.png", pool.submit(() -> lagsChart(text, lagModels.get())));

                SurfaceRequest request = SurfaceRequest.of(loss)
                        .grid(new Axis(-0.1, 1.3, points), new Axis(-1500, 1500, points)).build();
                SurfaceFiles files = new SurfaceFiles(out.resolve("surface.npy"), null, out.resolve("surface.png"), null,
                        text.get("surface.title.descent", loss.label(), text.get("demo.surface.what")), text, plot -> { },
                        List.of())
                        .decorated(plot -> plot.path(trained.result().trajectory().stream()
                                .map(p -> new double[] {p.params().w(0), p.params().b()}).toList())
                                .optimum(exact.params().w(0), exact.params().b()).book(Lesson.BOOK_W, Lesson.BOOK_B))
                        .animated(out.resolve("descent.gif"), trained.result().trajectory().stream()
                                .map(p -> new DescentAnimation.Point(p.step(), p.params().w(0), p.params().b(), p.loss()))
                                .toList());
                SurfaceResult surface = lg.surface(request, files, outputs);
                for (Map.Entry<String, Future<byte[]>> figure : drawn.entrySet()) {
                    outputs.write(out.resolve(figure.getKey()), figure.getValue().get());
                }

                ObjectNode summary = summary(lg, trained, surface, presets, lagModels.get(), curve, eta);
                outputs.write(out.resolve("summary.json"), Json.bytes(summary));
                outputs.write(out.resolve("index.html"), page(words));
                outputs.commit();
                if (json) {
                    console.json(summary);
                } else {
                    console.out().print(report(words, lg, trained, exact, surface, presets, lagModels.get()));
                }
            }
            created = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LossgridException(LossgridException.Kind.INTERNAL, "interrupted while drawing the figures");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            if (created) {
                removeIfEmpty();
            }
        }
        return 0;
    }

    private static byte[] lagsChart(FigureText text, List<Lesson.LagModel> models) {
        Params ours7 = models.get(1).fit().params();
        int[] lags = new int[models.size()];
        double[][] losses = new double[4][models.size()];
        for (int m = 0; m < models.size(); m++) {
            Lesson.LagModel model = models.get(m);
            lags[m] = model.lags();
            losses[0][m] = model.fit().loss();
            losses[1][m] = model.testLoss();
            losses[2][m] = model.bookTrain();
            losses[3][m] = model.bookTest();
        }
        double[] ours = new double[8];
        double[] lecture = new double[8];
        ours[0] = ours7.b();
        lecture[0] = Lesson.LECTURE_7DAY_B;
        for (int j = 0; j < 7; j++) {
            ours[j + 1] = ours7.w(j);
            lecture[j + 1] = Lesson.LECTURE_7DAY_W[j];
        }
        return LessonCharts.lags(text, lags, losses, ours, lecture);
    }

    private ObjectNode summary(Lossgrid lg, Trained trained, SurfaceResult surface, List<Lesson.Preset> presets,
            List<Lesson.LagModel> lagModels, Lesson.Curve curve, double eta) {
        ObjectNode summary = Json.training(lg, trained);
        Json.surface(summary, surface);
        ObjectNode book = summary.putObject("book");
        book.put("w", Lesson.BOOK_W);
        book.put("b", Lesson.BOOK_B);
        book.put("train_loss", Lesson.BOOK_TRAIN[0]);
        book.put("test_loss", Lesson.BOOK_TEST[0]);
        ArrayNode lags = summary.putArray("lags");
        for (Lesson.LagModel model : lagModels) {
            ObjectNode row = lags.addObject();
            row.put("lags", model.lags());
            row.put("train_loss", model.fit().loss());
            row.put("test_loss", model.testLoss());
            putBook(row, "book_train_loss", model.bookTrain());
            putBook(row, "book_test_loss", model.bookTest());
            if (model.lags() == 7) {
                Json.params(row.putObject("params"), model.fit().params());
                ObjectNode lecture = row.putObject("lecture_params");
                lecture.put("b", Lesson.LECTURE_7DAY_B);
                ArrayNode w = lecture.putArray("w");
                for (double weight : Lesson.LECTURE_7DAY_W) {
                    w.add(weight);
                }
            }
        }
        ObjectNode curveJson = summary.putObject("curve");
        curveJson.put("param", curve.parameter());
        curveJson.put("w0", curve.w0());
        curveJson.put("slope", curve.slope());
        curveJson.put("lr", eta);
        curveJson.put("minimum_at", curve.minimumAt());
        curveJson.put("minimum", curve.minimum());
        ArrayNode runs = summary.putArray("lr_presets");
        for (Lesson.Preset preset : presets) {
            LrPresetsCommand.json(runs.addObject(), preset);
        }
        ArrayNode figures = summary.putArray("figures");
        FIGURES.forEach(figures::add);
        return summary;
    }

    private static void putBook(ObjectNode row, String key, double value) {
        if (Double.isNaN(value)) {
            row.putNull(key);
        } else {
            row.put(key, value);
        }
    }

    /** index.html: the figures in the book's order, a line each. */
    private static byte[] page(Text words) {
        List<LessonPage.Figure> figures = new ArrayList<>();
        for (String file : FIGURES) {
            figures.add(new LessonPage.Figure(file, words.get("demo.figure." + file.substring(0, file.indexOf('.')))));
        }
        return LessonPage.html(words, words.get("demo.page.title"), List.of(words.get("demo.page.intro"),
                words.get("demo.page.data")), figures);
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

    private String report(Text words, Lossgrid lg, Trained trained, ExactOptimum.Fit exact, SurfaceResult surface,
            List<Lesson.Preset> presets, List<Lesson.LagModel> lagModels) {
        StringBuilder o = new StringBuilder();
        Split split = lg.data();
        Params p = trained.result().params();
        o.append(words.get("demo.intro")).append('\n');
        o.append(words.get("demo.model", split.train().n(), split.test().n())).append('\n');
        o.append(words.get("demo.descent", lg.backendName(), trained.result().steps(),
                String.format(Locale.ROOT, "%.2f", trained.result().seconds()))).append("\n\n");
        o.append(row("", words.get("demo.trained"), words.get("demo.exact"), words.get("demo.book")));
        o.append(row("w*", fixed(p.w(0), 4), fixed(exact.params().w(0), 4), fixed(Lesson.BOOK_W, 2)));
        o.append(row("b*", fixed(p.b(), 1), fixed(exact.params().b(), 1), fixed(Lesson.BOOK_B, 0)));
        o.append(row(words.get("demo.train.loss"), fixed(trained.trainLoss(), 1), fixed(exact.loss(), 1),
                book(Lesson.BOOK_TRAIN[0])));
        o.append(row(words.get("demo.test.loss"), fixed(trained.testLoss(), 1),
                fixed(lg.testLoss(Loss.MAE, exact.params()), 1), book(Lesson.BOOK_TEST[0]))).append('\n');
        o.append(Text.pad(words.get("demo.lags.header"), -16)).append(Text.pad(words.get("demo.train.loss"), 12))
                .append(Text.pad(words.get("demo.test.loss"), 12)).append(Text.pad(words.get("demo.book.train"), 12))
                .append(Text.pad(words.get("demo.book.test"), 12)).append('\n');
        for (Lesson.LagModel model : lagModels) {
            o.append(Text.pad("  " + words.get("demo.lags.row", model.lags()), -16))
                    .append(Text.pad(fixed(model.fit().loss(), 1), 12)).append(Text.pad(fixed(model.testLoss(), 1), 12))
                    .append(Text.pad(book(model.bookTrain()), 12)).append(Text.pad(book(model.bookTest()), 12)).append('\n');
        }
        o.append('\n').append(words.get("demo.presets", PRESET_STEPS)).append('\n');
        for (Lesson.Preset preset : presets) {
            o.append("  ").append(Text.pad(words.get(preset.standardized() ? "lr.standardized" : "lr.raw"), -20))
                    .append(Text.pad("\u03b7 = " + Numbers.compact(preset.learningRate()), -16))
                    .append(words.get(preset.outcome())).append('\n');
        }
        o.append('\n').append(words.get("demo.surface", surface.grid().rows(), surface.grid().columns(), surface.samples(),
                surface.method(), surface.method().equals("brute") ? lg.backendName() : "cpu",
                String.format(Locale.ROOT, "%.3f", surface.computeSeconds()))).append('\n');
        o.append(words.get("demo.wrote", out, String.join(", ", FIGURES) + ", surface.npy, summary.json",
                out.resolve("index.html"))).append('\n');
        return o.toString();
    }

    private static String row(String label, String trained, String exact, String book) {
        return Text.pad("  " + label, -14) + Text.pad(trained, 10) + Text.pad(exact, 10) + Text.pad(book, 10) + "\n";
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
