package org.lossgrid.data;

import static org.lossgrid.error.LossgridException.param;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.lossgrid.error.LossgridException;

/**
 * A CSV file with a header row, read whole, with the line number of every record kept so that
 * every error can name file, line and column.
 */
public final class CsvFile {
    private final String source;
    private final List<String> header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Long> lines = new ArrayList<>();

    private CsvFile(String source, List<String> header) {
        this.source = source;
        this.header = header;
    }

    public static CsvFile read(Path path) {
        if (Files.isDirectory(path)) {
            throw LossgridException.badInput(path + ": is a folder; give a CSV file");
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parseRaw(path.toString(), reader);
        } catch (NotUtf8 e) {
            throw LossgridException.badInput(path + ", line " + firstMalformedLine(path) + ": not UTF-8 text; save the "
                    + "file as UTF-8 (or plain ASCII)");
        } catch (NoSuchFileException e) {
            throw LossgridException.badInput(path + ": no such file");
        } catch (AccessDeniedException e) {
            throw LossgridException.badInput(path + ": cannot read it: permission denied");
        } catch (IOException | UncheckedIOException e) {
            throw LossgridException.badInput(path + ": cannot read: " + e.getMessage());
        }
    }

    public static CsvFile parse(String source, Reader reader) throws IOException {
        try {
            return parseRaw(source, reader);
        } catch (NotUtf8 e) {
            throw LossgridException.badInput(source + ": not UTF-8 text; save it as UTF-8 (or plain ASCII)");
        }
    }

    private static CsvFile parseRaw(String source, Reader reader) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            try {
                return records(source, parser);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof CharacterCodingException) {
                    throw new NotUtf8();
                }
                throw LossgridException.badInput(source + ": malformed CSV: " + e.getMessage());
            } catch (IllegalStateException e) {
                throw LossgridException.badInput(source + ": malformed CSV: " + e.getMessage());
            }
        } catch (CharacterCodingException e) {
            throw new NotUtf8();
        }
    }

    /** The input is not UTF-8; the reader decodes ahead of the parser, so the caller finds the line from the bytes. */
    private static final class NotUtf8 extends RuntimeException {
        NotUtf8() {
            super("not UTF-8", null, false, false);
        }
    }

    /** The 1-based line of the first byte sequence that is not UTF-8. */
    private static long firstMalformedLine(Path path) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path));
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes, CharBuffer.allocate(bytes.capacity()), true);
            long line = 1;
            for (int i = 0; i < bytes.position(); i++) {
                if (bytes.get(i) == '\n') {
                    line++;
                }
            }
            return line;
        } catch (IOException e) {
            return 1;
        }
    }

    private static CsvFile records(String source, CSVParser parser) {
        CsvFile file = null;
        long line = 0;
        for (CSVRecord record : parser) {
            line = parser.getCurrentLineNumber();
            String[] values = record.values();
            if (file == null) {
                file = new CsvFile(source, header(source, values));
                continue;
            }
            if (values.length != file.header.size()) {
                throw LossgridException.badInput(source + ", line " + line + ": expected " + file.header.size()
                        + " columns (" + String.join(",", file.header) + "), found " + values.length);
            }
            file.rows.add(values);
            file.lines.add(line);
        }
        if (file == null) {
            throw LossgridException.badInput(source + ": the file is empty; expected a header line such as "
                    + "'date,views' and one row per sample");
        }
        if (file.rows.isEmpty()) {
            throw LossgridException.badInput(source + ": the file has a header but no data rows");
        }
        return file;
    }

    private static List<String> header(String source, String[] values) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < values.length; c++) {
            String name = values[c].strip();
            if (c == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1);
            }
            if (name.isEmpty()) {
                throw LossgridException.badInput(source + ", line 1, column " + (c + 1) + ": empty column name in the header");
            }
            if (names.contains(name)) {
                throw LossgridException.badInput(source + ", line 1: column '" + name + "' appears twice in the header");
            }
            for (String other : names) {
                if (other.equalsIgnoreCase(name)) {
                    throw LossgridException.badInput(source + ", line 1: columns '" + other + "' and '" + name
                            + "' differ only in case, which makes them ambiguous; rename one");
                }
            }
            names.add(name);
        }
        return names;
    }

    public String source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    public int rows() {
        return rows.size();
    }

    public boolean hasColumn(String name) {
        return indexOf(name) >= 0;
    }

    /** The 0-based index of a column (case-insensitive), or an exit-2 error naming the columns there are. */
    public int column(String name, String flag) {
        int index = indexOf(name);
        if (index < 0) {
            throw LossgridException.badInput(param(flag) + ": " + source + " has no column '" + name + "'; its columns are "
                    + String.join(", ", header));
        }
        return index;
    }

    private int indexOf(String name) {
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).equalsIgnoreCase(name.strip())) {
                return c;
            }
        }
        return -1;
    }

    public String cell(int row, int column) {
        return rows.get(row)[column];
    }

    /** "FILE, line L, column C (name)" for error messages. */
    public String where(int row, int column) {
        return source + ", line " + lines.get(row) + ", column " + (column + 1) + " (" + header.get(column) + ")";
    }

    /** Parses a finite number, or fails with file, line and column. */
    public double number(int row, int column) {
        String text = cell(row, column);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw LossgridException.badInput(where(row, column) + ": '" + text + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw LossgridException.badInput(where(row, column) + ": " + text.toLowerCase(Locale.ROOT)
                    + " is not allowed; every value must be a finite number");
        }
        if (Math.abs(value) > Float.MAX_VALUE) {
            throw LossgridException.badInput(where(row, column) + ": " + text + " is beyond float32's range (about "
                    + "3.4e38), in which the backends compute; rescale the column");
        }
        return value;
    }

    public double[] numbers(int column) {
        double[] values = new double[rows.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = number(r, column);
        }
        return values;
    }
}
