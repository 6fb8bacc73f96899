package org.lossgrid.api;

import static org.lossgrid.error.LossgridException.param;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.lossgrid.data.CsvFile;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.SampleChannel;
import org.lossgrid.data.Series;
import org.lossgrid.data.Split;
import org.lossgrid.data.Table;
import org.lossgrid.error.LossgridException;

/**
 * Where the samples come from: the bundled sample channel, a {@code date,views} series CSV with lag
 * features, a table CSV with chosen columns, or arrays. Each gives a {@link Split} into training and
 * test samples; bad input is a {@link LossgridException} of kind {@code BAD_INPUT} that names the
 * file, line and column.
 */
public final class Data {
    /** The book's split: target days up to 2020-12-31 train, 2021 tests. */
    public static final LocalDate DEFAULT_TRAIN_UNTIL = Series.DEFAULT_TRAIN_UNTIL;

    private Data() {
    }

    /** The bundled sample channel with {@code lags} lag features and the book's split. */
    public static Split sample(int lags) {
        return sample(lags, DEFAULT_TRAIN_UNTIL);
    }

    /** The bundled sample channel; target days up to {@code trainUntil} train, later ones test. */
    public static Split sample(int lags, LocalDate trainUntil) {
        return SampleChannel.bundled().lagFeatures(lags, trainUntil);
    }

    /** A series CSV (columns {@code date,views}, one row per day) with {@code lags} lag features. */
    public static Split series(Path csv, int lags, LocalDate trainUntil) {
        return seriesOf(csv).lagFeatures(lags, trainUntil);
    }

    /** The bundled sample channel as a series of dated views. */
    public static Series sampleSeries() {
        return SampleChannel.bundled();
    }

    /** A series CSV (columns {@code date,views}, one row per day) as dated views. */
    public static Series seriesOf(Path csv) {
        return series(csv.toString(), CsvFile.read(csv));
    }

    /** A series CSV held in memory (an upload), named {@code name} in its errors and summaries. */
    public static Series seriesOf(String name, String csv) {
        try {
            return series(name, CsvFile.parse(name, new java.io.StringReader(csv)));
        } catch (java.io.IOException e) {
            throw LossgridException.badInput(name + ": cannot read: " + e.getMessage());
        }
    }

    private static Series series(String name, CsvFile file) {
        if (!file.hasColumn("date") || !file.hasColumn("views")) {
            throw LossgridException.badInput(name + " has columns " + String.join(", ", file.header())
                    + ": a series needs columns date,views; for a table give " + param("y") + " COL " + param("x")
                    + " COL");
        }
        return Series.fromCsv(file);
    }

    /** A table CSV: target column {@code y}, feature columns {@code x}; the last {@code testFraction} of the rows test. */
    public static Split table(Path csv, String y, List<String> x, double testFraction) {
        return Table.select(CsvFile.read(csv), y, x, testFraction);
    }

    /**
     * Samples given directly: {@code x[i][j]} is feature j of sample i, {@code y[i]} its target. All of
     * them train; the test set is empty.
     */
    public static Split arrays(double[][] x, double[] y) {
        if (x.length != y.length) {
            throw LossgridException.badInput(param("x") + " has " + x.length + " rows but " + param("y") + " has "
                    + y.length);
        }
        if (y.length == 0) {
            throw LossgridException.badInput(param("y") + ": no samples");
        }
        int k = x[0].length;
        double[][] columns = new double[k][y.length];
        for (int i = 0; i < y.length; i++) {
            if (x[i].length != k) {
                throw LossgridException.badInput(param("x") + ": row " + i + " has " + x[i].length + " features, row 0 has "
                        + k);
            }
            checkFinite("y", i, -1, y[i]);
            for (int j = 0; j < k; j++) {
                checkFinite("x", i, j, x[i][j]);
                columns[j][i] = x[i][j];
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= k; j++) {
            names.add("x" + j);
        }
        Dataset train = new Dataset("arrays", names, columns, y.clone());
        return new Split(train, new Dataset("arrays (no test rows)", names, new double[k][0], new double[0]));
    }

    private static void checkFinite(String array, int row, int column, double value) {
        String where = param(array) + (column < 0 ? "[" + row + "]" : "[" + row + "][" + column + "]");
        if (!Double.isFinite(value)) {
            throw LossgridException.badInput(where + " is " + value + "; every value must be finite");
        }
        if (Math.abs(value) > Float.MAX_VALUE) {
            throw LossgridException.badInput(where + " = " + value + " is beyond float32's range (about 3.4e38), in "
                    + "which the backends compute");
        }
    }
}
