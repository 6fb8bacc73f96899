package org.lossgrid.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.lossgrid.error.LossgridException;

/**
 * A file written atomically: bytes go to a temporary file in the target's folder, which is renamed
 * over the target by {@link #commit()}. Closing without committing deletes the temporary file, so a
 * failed run leaves neither a half-written file nor litter.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final OutputStream stream;
    private boolean committed;

    private AtomicOutput(Path target, Path temporary, OutputStream stream) {
        this.target = target;
        this.temporary = temporary;
        this.stream = stream;
    }

    /** Opens a temporary file beside {@code target}; an unusable folder is an exit-2 error naming it. */
    public static AtomicOutput open(Path target) {
        Path folder = checkWritable(target);
        try {
            // not createTempFile: its owner-only permissions would survive the rename
            Path temporary = Files.createFile(folder.resolve("." + target.getFileName() + "."
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp"));
            return new AtomicOutput(target, temporary, new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16));
        } catch (IOException e) {
            throw LossgridException.badInput("cannot write " + target + ": " + e.getMessage());
        }
    }

    /** Checks, before any work, that the target's folder exists and is writable; returns the folder. */
    public static Path checkWritable(Path target) {
        Path folder = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw LossgridException.badInput("cannot write " + target + ": it is a folder; give a file name");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw LossgridException.badInput("cannot write " + target + ": the folder " + folder
                    + " does not exist; create it first");
        }
        if (!Files.isWritable(folder)) {
            throw LossgridException.badInput("cannot write " + target + ": the folder " + folder
                    + " is not writable; choose another place");
        }
        return folder;
    }

    public OutputStream stream() {
        return stream;
    }

    public Path target() {
        return target;
    }

    /** Flushes and renames the temporary file over the target. */
    public void commit() {
        try {
            stream.close();
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                stream.close();
            } catch (IOException e) {
                // the temporary file is deleted below either way
            }
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // nothing more can be done; the name starts with '.' and ends with .tmp
            }
        }
    }

    /** Writes a whole file atomically. */
    public static void write(Path target, byte[] content) {
        try (AtomicOutput out = open(target)) {
            out.stream().write(content);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
