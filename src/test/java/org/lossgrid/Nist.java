package org.lossgrid;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.lossgrid.data.CsvFile;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.Table;

/** The NIST StRD linear regression datasets of {@code src/test/resources/nist}, with their certified values. */
public final class Nist {
    public static final double[] NORRIS = {-0.262323073774029, 1.00211681802045};
    public static final double NORRIS_RSS = 26.6173985294224;
    public static final double[] LONGLEY = {-3482258.63459582, 15.0618722713733, -0.358191792925910E-01,
        -2.02022980381683, -1.03322686717359, -0.511041056535807E-01, 1829.15146461355};
    public static final double NOINT1_B1 = 2.07438016528926;
    public static final double NOINT1_RSS = 127.272727272727;

    private Nist() {
    }

    public static Dataset load(String name) {
        try (var in = Nist.class.getResourceAsStream("/nist/" + name + ".csv")) {
            CsvFile csv = CsvFile.parse(name, new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> x = new ArrayList<>(csv.header().subList(1, csv.header().size()));
            return Table.select(csv, "y", x, 0).train();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** -log10(|actual - certified| / |certified|), capped at 15 */
    public static double digits(double actual, double certified) {
        double error = Math.abs(actual - certified) / Math.abs(certified);
        return error == 0 ? 15 : Math.min(15, -Math.log10(error));
    }
}
