package org.lossgrid.cli;

import static org.lossgrid.error.LossgridException.param;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.BookModels;
import org.lossgrid.api.Data;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.Training;
import org.lossgrid.error.LossgridException;
import org.lossgrid.i18n.Text;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.output.LessonCharts;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.report.Json;
import org.lossgrid.train.Optimizer;
import org.lossgrid.util.Progress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The book's table of §1.2: every model trained on 56 days of lags of the bundled channel, ours beside the book's. */
@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false)
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--only", paramLabel = "MODEL", split = ",")
    List<String> only;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "200")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64")
    int batch;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam")
    String optimizer;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.001")
    double lr;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1")
    long seed;

    @Option(names = "--png", paramLabel = "FILE", converter = OutputFile.class)
    Path png;

    @Option(names = "--csv", paramLabel = "FILE", converter = OutputFile.class)
    Path csv;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    @Option(names = "--json")
    boolean json;

    private final Console console;

    ModelsCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        List<BookModels.Row> rows = rows();
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("png", png);
        outputs.put("csv", csv);
        OutputPaths.checkDistinct(outputs, Map.of());
        Training.Builder template = Training.of(BookModels.LOSS).optimizer(Optimizer.Kind.parse(optimizer))
                .learningRate(lr).epochs(epochs).batch(batch).seed(seed).progress(Progress.NONE);
        // every setting is checked before the first row starts, as the first network's configuration
        template.model(BookModels.BOOK.get(1).spec()).build().networkConfig();
        Text words = Text.of(language.language());
        try (Lossgrid lg = backendOptions.open(Data.sample(BookModels.LAGS), console); OutputSet files = new OutputSet()) {
            if (!json) {
                console.out().println(words.get("models.header", BookModels.LAGS, optimizer, lr, epochs, batch, seed,
                        lg.backendName()));
                console.out().println(row(words.get("models.columns").split("\\|")));
            }
            List<BookModels.Result> results = BookModels.train(lg, template, rows, result -> {
                if (!json) {
                    console.out().println(line(words, result));
                }
            });
            if (png != null) {
                files.write(png, LessonCharts.models(language.figures(console),
                        results.stream().map(r -> r.row().model()).toList(), losses(results)));
            }
            if (csv != null) {
                files.write(csv, csv(results).getBytes(StandardCharsets.UTF_8));
            }
            files.commit();
            if (json) {
                console.json(summary(lg, results));
            } else {
                if (results.stream().anyMatch(BookModels.Result::exact)) {
                    console.out().println(words.get("models.note"));
                }
                console.wrote(words, png, csv);
            }
        }
        return 0;
    }

    /** The book's rows, or those --only names, in the book's order. */
    private List<BookModels.Row> rows() {
        if (epochs < 1 || batch < 1) {
            throw LossgridException.badInput(param(epochs < 1 ? "epochs" : "batch") + " must be at least 1, got "
                    + (epochs < 1 ? epochs : batch));
        }
        if (only == null) {
            return BookModels.BOOK;
        }
        List<String> wanted = new ArrayList<>();
        for (String name : only) {
            String model = canonical(name);
            if (BookModels.BOOK.stream().noneMatch(r -> r.model().equals(model))) {
                throw LossgridException.badInput(param("only") + ": '" + name + "' is not a row of the book's table; choose "
                        + "from " + String.join(", ", BookModels.BOOK.stream().map(BookModels.Row::model).toList()));
            }
            wanted.add(model);
        }
        return BookModels.BOOK.stream().filter(r -> wanted.contains(r.model())).toList();
    }

    /** The model as the table names it ({@code relu:100x1} is {@code relu:100}), or the name as given if it is none. */
    private static String canonical(String name) {
        try {
            return ModelSpec.parse(name).toString();
        } catch (LossgridException e) {
            return name;
        }
    }

    private static String row(String... cells) {
        StringBuilder s = new StringBuilder(Text.pad(cells[0], -18));
        for (int c = 1; c < cells.length; c++) {
            s.append(Text.pad(cells[c], 11));
        }
        return s.toString();
    }

    /** One row as it finishes: ours beside the book's, how long it took. */
    private static String line(Text words, BookModels.Result r) {
        String name = r.row().model() + (r.exact() ? words.get("models.exact") : "");
        return row(name, number(r.train()), number(r.test()), number(r.row().bookTrain()), number(r.row().bookTest()),
                String.format(Locale.ROOT, "%.1f", r.seconds()))
                + (r.divergence() == null ? "" : "  " + words.get("models.diverged"));
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** ours L, ours L', book L, book L' per row, for the chart */
    private static double[][] losses(List<BookModels.Result> results) {
        double[][] losses = new double[4][results.size()];
        for (int m = 0; m < results.size(); m++) {
            BookModels.Result r = results.get(m);
            losses[0][m] = r.train();
            losses[1][m] = r.test();
            losses[2][m] = r.row().bookTrain();
            losses[3][m] = r.row().bookTest();
        }
        return losses;
    }

    private static String csv(List<BookModels.Result> results) {
        StringBuilder s = new StringBuilder("model,train_loss,test_loss,book_train_loss,book_test_loss,exact,diverged,seconds\n");
        for (BookModels.Result r : results) {
            s.append(String.format(Locale.ROOT, "%s,%.6g,%.6g,%.0f,%.0f,%b,%b,%.3f%n", r.row().model(), r.train(), r.test(),
                    r.row().bookTrain(), r.row().bookTest(), r.exact(), r.divergence() != null, r.seconds()));
        }
        return s.toString();
    }

    private ObjectNode summary(Lossgrid lg, List<BookModels.Result> results) {
        ObjectNode summary = Json.backend(Json.object(), lg.backendName(), lg.device());
        summary.put("loss", BookModels.LOSS.name());
        summary.put("lags", BookModels.LAGS);
        ObjectNode training = summary.putObject("training");
        training.put("optimizer", optimizer);
        training.put("lr", lr);
        training.put("epochs", epochs);
        training.put("batch", batch);
        training.put("seed", seed);
        ArrayNode rows = summary.putArray("models");
        for (BookModels.Result r : results) {
            ObjectNode row = rows.addObject();
            row.put("model", r.row().model());
            row.put("train_loss", r.train());
            row.put("test_loss", r.test());
            row.put("book_train_loss", r.row().bookTrain());
            row.put("book_test_loss", r.row().bookTest());
            row.put("exact", r.exact());
            row.put("diverged", r.divergence() != null);
            if (r.divergence() != null) {
                row.put("divergence", r.divergence());
            }
            row.put("seconds", r.seconds());
        }
        return summary;
    }
}
