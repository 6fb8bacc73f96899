package org.lossgrid.cli;

import java.io.File;
import java.nio.file.Path;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An output file flag's value: a path that does not end in '/', which would name a folder ({@code Path.of}
 * drops the slash, so it is checked on the text). Usage errors like this one exit with 2.
 */
final class OutputFile implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("an empty file name");
        }
        if (value.endsWith("/") || value.endsWith(File.separator)) {
            throw new TypeConversionException("'" + value + "' ends in '/', so it names a folder; give a file name");
        }
        return Path.of(value);
    }
}
