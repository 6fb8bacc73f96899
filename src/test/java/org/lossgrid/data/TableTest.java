package org.lossgrid.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lossgrid.error.LossgridException;

class TableTest {
    private static CsvFile csv() throws IOException {
        return CsvFile.parse("t.csv", new StringReader("y,a,b\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n"));
    }

    @Test
    void selectsColumnsAndSplitsTheTail() throws IOException {
        Split split = Table.select(csv(), "y", List.of("b", "a"), 0.25);
        assertEquals(3, split.train().n());
        assertEquals(1, split.test().n());
        assertEquals(List.of("b", "a"), split.train().featureNames());
        assertEquals(3, split.train().x(0, 0));
        assertEquals(10, split.test().y(0));
    }

    @Test
    void unknownColumnListsTheColumns() {
        LossgridException e = assertThrows(LossgridException.class, () -> Table.select(csv(), "y", List.of("c"), 0));
        assertTrue(e.getMessage().contains("no column 'c'; its columns are y, a, b"), e.getMessage());
    }
}
