package org.lossgrid.data;

import static org.lossgrid.error.LossgridException.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lossgrid.error.LossgridException;

/**
 * A table CSV with named columns: {@code --y COL --x COL[,COL...]}. All rows train unless a test
 * fraction is given, in which case the last {@code round(fraction * rows)} rows (in file order) test.
 */
public final class Table {
    private Table() {
    }

    public static Split select(CsvFile csv, String yName, List<String> xNames, double testFraction) {
        if (xNames.isEmpty()) {
            throw LossgridException.badInput(param("x") + ": give at least one feature column");
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw LossgridException.badInput(param("test-fraction") + " must be in [0, 1), got " + testFraction);
        }
        double[] y = csv.numbers(csv.column(yName, "y"));
        double[][] x = new double[xNames.size()][];
        List<String> names = new ArrayList<>();
        for (int j = 0; j < xNames.size(); j++) {
            int column = csv.column(xNames.get(j), "x");
            x[j] = csv.numbers(column);
            names.add(csv.header().get(column));
        }
        int n = y.length;
        int testRows = (int) Math.round(testFraction * n);
        int trainRows = n - testRows;
        if (trainRows < 1) {
            throw LossgridException.badInput(param("test-fraction") + " " + testFraction + " leaves no training rows of " + n);
        }
        return new Split(slice(csv.source() + " (train)", names, x, y, 0, trainRows),
                slice(csv.source() + " (test)", names, x, y, trainRows, n));
    }

    private static Dataset slice(String label, List<String> names, double[][] x, double[] y, int from, int to) {
        double[][] xs = new double[x.length][];
        for (int j = 0; j < x.length; j++) {
            xs[j] = Arrays.copyOfRange(x[j], from, to);
        }
        return new Dataset(label, names, xs, Arrays.copyOfRange(y, from, to));
    }
}
