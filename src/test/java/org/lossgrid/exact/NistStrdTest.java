package org.lossgrid.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossgrid.Nist;
import org.lossgrid.data.CsvFile;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;

/**
 * Every NIST StRD linear least-squares dataset against its certified values (src/test/resources/nist,
 * certified.csv): digits of agreement of every parameter. The issue asked for 7 (6 on Filip and
 * Wampler5); with the refinement every set reaches 13 or more (measured 13.2 to 15), except Filip at 7.6,
 * whose powers x^d are rounded before the fit (the data carry no more). Without the refinement Wampler5
 * reached 5.7.
 */
class NistStrdTest {
    /** Dataset, polynomial degree in x (0: the columns as given), intercept, digits required. */
    static Stream<Arguments> datasets() {
        return Stream.of(
                Arguments.of("Norris", 0, true, 12.0),
                Arguments.of("Pontius", 2, true, 12.0),
                Arguments.of("NoInt1", 0, false, 12.0),
                Arguments.of("NoInt2", 0, false, 12.0),
                Arguments.of("Filip", 10, true, 7.0),
                Arguments.of("Longley", 0, true, 12.0),
                Arguments.of("Wampler1", 5, true, 12.0),
                Arguments.of("Wampler2", 5, true, 12.0),
                Arguments.of("Wampler3", 5, true, 12.0),
                Arguments.of("Wampler4", 5, true, 12.0),
                Arguments.of("Wampler5", 5, true, 12.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datasets")
    void everyParameterAgreesWithTheCertifiedValue(String name, int degree, boolean intercept, double required) {
        Dataset data = degree == 0 ? Nist.load(name.toLowerCase(java.util.Locale.ROOT)) : polynomial(name, degree);
        Map<String, Double> certified = certified(name);
        double[] beta = ExactOptimum.fit(Loss.MSE, data, intercept).params().flat();
        int first = intercept ? 0 : 1;
        assertEquals(certified.size(), beta.length - first, name + " parameters");
        for (int j = first; j < beta.length; j++) {
            double expected = certified.get("B" + j);
            double digits = Nist.digits(beta[j], expected);
            assertTrue(digits >= required, name + " B" + j + " = " + beta[j] + " against " + expected + ": " + digits
                    + " digits, below " + required);
        }
    }

    /** y and the powers x, x^2, ..., x^degree as features. */
    private static Dataset polynomial(String name, int degree) {
        CsvFile csv = read(name.toLowerCase(java.util.Locale.ROOT) + ".csv");
        double[] y = csv.numbers(csv.column("y", "y"));
        double[] x = csv.numbers(csv.column("x", "x"));
        double[][] features = new double[degree][x.length];
        List<String> names = new ArrayList<>();
        for (int d = 1; d <= degree; d++) {
            names.add("x^" + d);
            for (int i = 0; i < x.length; i++) {
                features[d - 1][i] = Math.pow(x[i], d);
            }
        }
        return new Dataset(name, names, features, y);
    }

    /** B0, B1, ... of the dataset, from certified.csv. */
    private static Map<String, Double> certified(String name) {
        CsvFile csv = read("certified.csv");
        double[] values = csv.numbers(csv.column("value", "value"));
        Map<String, Double> parameters = new LinkedHashMap<>();
        for (int r = 0; r < csv.rows(); r++) {
            if (csv.cell(r, csv.column("dataset", "dataset")).equals(name)) {
                parameters.put(csv.cell(r, csv.column("parameter", "parameter")), values[r]);
            }
        }
        return parameters;
    }

    private static CsvFile read(String file) {
        try (InputStream in = NistStrdTest.class.getResourceAsStream("/nist/" + file)) {
            return CsvFile.parse(file, new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
