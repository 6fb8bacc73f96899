package org.lossgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.lossgrid.error.LossgridException;

class SeriesTest {
    private static Series series(String csv) throws IOException {
        return Series.fromCsv(CsvFile.parse("t.csv", new StringReader(csv)));
    }

    private static LossgridException failure(String csv) {
        LossgridException e = assertThrows(LossgridException.class, () -> series(csv));
        assertEquals(LossgridException.Kind.BAD_INPUT, e.kind());
        return e;
    }

    @Test
    void lagFeaturesPairEachDayWithThePreviousOnes() throws IOException {
        Series s = series("date,views\n2020-12-29,10\n2020-12-30,20\n2020-12-31,30\n2021-01-01,40\n2021-01-02,50\n");
        Split split = s.lagFeatures(2, LocalDate.of(2020, 12, 31));
        assertEquals(1, split.train().n());
        assertEquals(30, split.train().y(0));
        assertEquals(20, split.train().x(0, 0));
        assertEquals(10, split.train().x(1, 0));
        assertEquals(2, split.test().n());
        assertArrayEquals(new double[] {40, 50}, split.test().yColumn());
        assertArrayEquals(new double[] {30, 40}, split.test().xColumn(0));
    }

    @Test
    void aGapNamesTheMissingDates() {
        LossgridException e = failure("date,views\n2020-01-01,1\n2020-01-02,2\n2020-01-05,3\n");
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("2020-01-03 to 2020-01-04 missing"), e.getMessage());
    }

    @Test
    void aDuplicateDateIsNamed() {
        LossgridException e = failure("date,views\n2020-01-01,1\n2020-01-01,2\n");
        assertTrue(e.getMessage().contains("duplicate date 2020-01-01"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3, column 1 (date)"), e.getMessage());
    }

    @Test
    void nonNumericViewsNameLineAndColumn() {
        LossgridException e = failure("date,views\n2020-01-01,1\n2020-01-02,lots\n");
        assertTrue(e.getMessage().contains("t.csv, line 3, column 2 (views): 'lots' is not a number"), e.getMessage());
    }

    @Test
    void nanAndInfinityAreRejected() {
        assertTrue(failure("date,views\n2020-01-01,NaN\n").getMessage().contains("nan is not allowed"));
        assertTrue(failure("date,views\n2020-01-01,1\n2020-01-02,Infinity\n").getMessage().contains("line 3"));
    }

    @Test
    void badDatesAndWrongColumnCounts() {
        assertTrue(failure("date,views\n01/02/2020,1\n").getMessage().contains("not an ISO date"));
        assertTrue(failure("date,views\n2020-01-01,1,7\n").getMessage().contains("line 2: expected 2 columns"));
        assertTrue(failure("date,views\n\"2020-01-01,1\n").getMessage().contains("malformed CSV"));
    }

    @Test
    void emptyFilesAndMissingColumns() {
        assertTrue(failure("").getMessage().contains("the file is empty"));
        assertTrue(failure("date,views\n").getMessage().contains("no data rows"));
        assertTrue(failure("day,views\n2020-01-01,1\n").getMessage().contains("no column 'date'"));
    }

    @Test
    void tooFewDaysForTheLags() throws IOException {
        Series s = series("date,views\n2020-01-01,1\n2020-01-02,2\n");
        LossgridException e = assertThrows(LossgridException.class, () -> s.lagFeatures(7, LocalDate.of(2020, 12, 31)));
        assertTrue(e.getMessage().contains("too few for 7 lags"), e.getMessage());
    }
}
