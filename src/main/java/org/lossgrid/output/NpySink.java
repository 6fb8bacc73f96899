package org.lossgrid.output;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.SurfaceSink;

/**
 * Streams a surface into a NumPy {@code .npy} file (format 1.0): float32 little-endian, C order,
 * shape (nb, nw), row i = b_i. Rows are written as they arrive, so no full-size array is needed.
 */
public final class NpySink implements SurfaceSink {
    private final AtomicOutput out;
    private int columns;
    private static final int CHUNK = 1 << 12;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    /** Writes the surface into {@code out}, whose owner commits it. */
    public NpySink(AtomicOutput out) {
        this.out = out;
    }

    /** A whole surface as the bytes of its NPY file, the same bytes as the file this sink streams. */
    public static byte[] encode(GridSpec grid, float[] values) {
        byte[] header = header(grid.rows(), grid.columns());
        ByteBuffer bytes = ByteBuffer.allocate(header.length + Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(header);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** The file's size: the 128-byte header and 4 bytes per grid point. */
    public static long fileBytes(GridSpec grid) {
        return header(grid.rows(), grid.columns()).length + 4L * grid.points();
    }

    /** The 1.0 header: magic, version, little-endian length, dict padded with spaces to a multiple of 64. */
    static byte[] header(long rows, long columns) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + columns + "), }";
        int padding = (64 - (10 + dict.length() + 1) % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer header = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        header.putShort((short) text.length());
        header.put(text.getBytes(StandardCharsets.US_ASCII));
        return header.array();
    }

    @Override
    public void begin(GridSpec grid) {
        columns = grid.columns();
        byte[] header = header(grid.rows(), grid.columns());
        write(header, header.length);
    }

    /** Writes the tile through a fixed little-endian buffer of {@value #CHUNK} floats, whatever the tile's size. */
    @Override
    public void rows(int row0, int rows, float[] values) {
        int floats = rows * columns;
        for (int from = 0; from < floats; from += CHUNK) {
            int count = Math.min(CHUNK, floats - from);
            buffer.clear();
            buffer.asFloatBuffer().put(values, from, count);
            write(buffer.array(), count * Float.BYTES);
        }
    }

    @Override
    public long bytes(GridSpec grid) {
        return (long) CHUNK * Float.BYTES + (1 << 16);
    }

    private void write(byte[] bytes, int length) {
        out.write(bytes, length);
    }
}
