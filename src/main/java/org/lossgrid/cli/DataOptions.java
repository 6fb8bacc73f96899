package org.lossgrid.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lesson;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.data.Series;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;

import picocli.CommandLine.Option;

/** Where the samples come from: the bundled channel, a date,views series, or a table. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE")
    Path data;

    @Option(names = "--lags", paramLabel = "K", defaultValue = "1")
    int lags;

    @Option(names = "--train-until", paramLabel = "DATE", defaultValue = "2020-12-31")
    String trainUntil;

    @Option(names = "--y", paramLabel = "COL")
    String y;

    @Option(names = "--x", paramLabel = "COL", split = ",")
    List<String> x;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0")
    double testFraction;

    Split load() {
        boolean table = y != null || x != null;
        if (table && (y == null || x == null)) {
            throw LossgridException.badInput("a table needs both --y COL and --x COL[,COL...]");
        }
        if (data == null) {
            if (table) {
                throw LossgridException.badInput("--y and --x select columns of a table: give the file with --data");
            }
            return Data.sample(lags, trainUntil());
        }
        return table ? Data.table(data, y, x, testFraction) : Data.series(data, lags, trainUntil());
    }

    /** Whether the book's point belongs on the surface of {@code request} on these data. */
    boolean isBookExample(SurfaceRequest request) {
        return Lesson.isBookExample(data == null, lags, trainUntil(), request);
    }

    /** The dated views of a series: the bundled channel or a date,views CSV (a table has no dates). */
    Series series() {
        if (y != null || x != null) {
            throw LossgridException.badInput("this command draws a series over time: give a date,views CSV with --data, "
                    + "not a table (--y, --x)");
        }
        return data == null ? Data.sampleSeries() : Data.seriesOf(data);
    }

    LocalDate trainUntilDate() {
        return trainUntil();
    }

    /** The files this run reads, by parameter, for the check that no output overwrites one. */
    Map<String, Path> inputs() {
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("data", data);
        return inputs;
    }

    private LocalDate trainUntil() {
        try {
            return LocalDate.parse(trainUntil);
        } catch (java.time.DateTimeException e) {
            throw LossgridException.badInput("--train-until: '" + trainUntil + "' is not an ISO date (YYYY-MM-DD)");
        }
    }
}
