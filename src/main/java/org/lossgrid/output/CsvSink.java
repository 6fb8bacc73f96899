package org.lossgrid.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.SurfaceSink;

/** Streams a surface as long-format CSV: one line {@code <h>,<v>,loss} per grid point, row by row. */
public final class CsvSink implements SurfaceSink {
    private final AtomicOutput out;
    private final Writer writer;
    private final String horizontalName;
    private final String verticalName;
    private GridSpec grid;

    /** Writes the surface into {@code out}, whose owner commits it after {@link #finish()}. */
    public CsvSink(AtomicOutput out, String horizontalName, String verticalName) {
        this.out = out;
        this.writer = new BufferedWriter(new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8), 1 << 16);
        this.horizontalName = horizontalName;
        this.verticalName = verticalName;
    }

    @Override
    public void begin(GridSpec grid) {
        this.grid = grid;
        write(horizontalName + "," + verticalName + ",loss\n");
    }

    @Override
    public void rows(int row0, int rows, float[] values) {
        StringBuilder line = new StringBuilder(64);
        for (int r = 0; r < rows; r++) {
            String v = Double.toString(grid.vertical().value(row0 + r));
            for (int c = 0; c < grid.columns(); c++) {
                line.setLength(0);
                line.append(grid.horizontal().value(c)).append(',').append(v).append(',')
                        .append(values[r * grid.columns() + c]).append('\n');
                write(line);
            }
        }
    }

    private void write(CharSequence text) {
        try {
            writer.append(text);
        } catch (IOException e) {
            throw OutputPaths.failure(out.target(), e);
        }
    }

    /** Flushes the lines buffered here into the output. */
    public void finish() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw OutputPaths.failure(out.target(), e);
        }
    }

    /** An upper bound of the file's size: a line of three shortest-repr doubles, at most 24 characters each. */
    public static long fileBytes(GridSpec grid) {
        return 64 + 75L * grid.points();
    }
}
