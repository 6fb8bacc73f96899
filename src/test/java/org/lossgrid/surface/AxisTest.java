package org.lossgrid.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lossgrid.error.LossgridException;

class AxisTest {
    @Test
    void valuesAreThoseOfLinspaceWithBothEnds() {
        Axis axis = Axis.parse("-1:2:4", "w");
        assertEquals(-1, axis.value(0));
        assertEquals(0, axis.value(1), 1e-15);
        assertEquals(1, axis.value(2), 1e-15);
        assertEquals(2, axis.value(3));
        assertEquals(0.3, Axis.parse("0.3:0.3:1", "b").value(0));
    }

    @Test
    void impossibleGridsAreExplained() {
        assertError("0:1:0", "N must be at least 1");
        assertError("0:1:-5", "N must be at least 1");
        assertError("2:1:10", "MIN 2 is greater than MAX 1");
        assertError("a:1:10", "MIN must be a finite number");
        assertError("0:NaN:10", "MAX must be a finite number");
        assertError("0:1:ten", "N must be a whole number");
        assertError("0:1", "expected MIN:MAX:N");
        assertError("1:1:5", "MIN equals MAX");
    }

    @Test
    void theRecordItselfRefusesAxesThatAreNotIncreasing() {
        assertThrows(IllegalArgumentException.class, () -> new Axis(2, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> new Axis(1, 1, 3));
        assertEquals(1, new Axis(1, 1, 1).value(0));
    }

    private static void assertError(String text, String message) {
        LossgridException e = assertThrows(LossgridException.class, () -> Axis.parse(text, "w"));
        assertEquals(LossgridException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("w: ") && e.getMessage().contains(message), e.getMessage());
    }
}
