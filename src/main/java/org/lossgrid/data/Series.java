package org.lossgrid.data;

import static org.lossgrid.error.LossgridException.param;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.lossgrid.error.LossgridException;

/** A channel's daily views: {@code views[d]} is the count on {@code first.plusDays(d)}, with no gaps. */
public record Series(String name, LocalDate first, double[] views) {

    /** The default split: training days up to and including 2020-12-31, as in the book. */
    public static final LocalDate DEFAULT_TRAIN_UNTIL = LocalDate.of(2020, 12, 31);

    public Series {
        views = views.clone();
    }

    @Override
    public double[] views() {
        return views.clone();
    }

    public int days() {
        return views.length;
    }

    public LocalDate date(int day) {
        return first.plusDays(day);
    }

    public LocalDate last() {
        return date(views.length - 1);
    }

    /** Reads a {@code date,views} CSV: ISO dates, one row per day, ascending, no gaps, no duplicates. */
    public static Series fromCsv(CsvFile csv) {
        int dateColumn = csv.column("date", "data");
        int viewsColumn = csv.column("views", "data");
        LocalDate first = null;
        LocalDate previous = null;
        double[] views = new double[csv.rows()];
        for (int r = 0; r < csv.rows(); r++) {
            LocalDate date = parseDate(csv, r, dateColumn);
            if (previous != null) {
                if (!date.isAfter(previous)) {
                    String problem = date.equals(previous) ? "duplicate date " + date
                            : date + " follows " + previous + "; rows must be in ascending date order";
                    throw LossgridException.badInput(csv.where(r, dateColumn) + ": " + problem);
                }
                if (!date.equals(previous.plusDays(1))) {
                    throw LossgridException.badInput(csv.where(r, dateColumn) + ": gap in the dates: "
                            + previous.plusDays(1) + (date.equals(previous.plusDays(2)) ? "" : " to " + date.minusDays(1))
                            + " missing before " + date + "; a series needs one row per day");
                }
            } else {
                first = date;
            }
            views[r] = csv.number(r, viewsColumn);
            previous = date;
        }
        return new Series(csv.source(), first, views);
    }

    private static LocalDate parseDate(CsvFile csv, int row, int column) {
        String text = csv.cell(row, column);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw LossgridException.badInput(csv.where(row, column) + ": '" + text
                    + "' is not an ISO date (expected YYYY-MM-DD)");
        }
    }

    /**
     * Lag features: a row is target day t with {@code x_j = views[t-j]}, j = 1..lags. Days without all
     * lags give no row. Rows with {@code t <= trainUntil} train; the rest test.
     */
    public Split lagFeatures(int lags, LocalDate trainUntil) {
        if (lags < 1) {
            throw LossgridException.badInput(param("lags") + " must be at least 1, got " + lags);
        }
        if (views.length <= lags) {
            throw LossgridException.badInput(name + ": " + views.length + " days are too few for " + lags
                    + " lags; the first row needs " + (lags + 1) + " consecutive days");
        }
        List<Integer> trainDays = new ArrayList<>();
        List<Integer> testDays = new ArrayList<>();
        for (int t = lags; t < views.length; t++) {
            (date(t).isAfter(trainUntil) ? testDays : trainDays).add(t);
        }
        if (trainDays.isEmpty()) {
            throw LossgridException.badInput(param("train-until") + " " + trainUntil + " leaves no training rows: with "
                    + lags + " lags the first target day of " + name + " is " + date(lags));
        }
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= lags; j++) {
            names.add("views(t-" + j + ")");
        }
        return new Split(rows(name + " (train)", names, trainDays, lags), rows(name + " (test)", names, testDays, lags));
    }

    private Dataset rows(String label, List<String> names, List<Integer> days, int lags) {
        double[] y = new double[days.size()];
        double[][] x = new double[lags][days.size()];
        for (int i = 0; i < days.size(); i++) {
            int t = days.get(i);
            y[i] = views[t];
            for (int j = 1; j <= lags; j++) {
                x[j - 1][i] = views[t - j];
            }
        }
        return new Dataset(label, names, x, y);
    }
}
