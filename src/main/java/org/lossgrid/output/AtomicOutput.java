package org.lossgrid.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lossgrid.error.LossgridException;

/**
 * A file written atomically: bytes go to a temporary file in the target's folder ({@link TempFiles}),
 * which {@link #commit()} renames over the target. Closing without committing deletes it, so a failed
 * or interrupted run leaves neither a half-written file nor litter. A target that is a symbolic link is
 * written through to the file it points to, as {@code cp} does; the link stays. Several files that must
 * appear together go through an {@link OutputSet}.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final OutputStream stream;
    private boolean finished;
    private boolean published;

    private AtomicOutput(Path target, Path temporary, OutputStream stream) {
        this.target = target;
        this.temporary = temporary;
        this.stream = stream;
    }

    /** Opens a temporary file beside {@code target} (or beside the file a link points to); an unusable place is BAD_INPUT. */
    public static AtomicOutput open(Path target) {
        Path destination = OutputPaths.destination(target);
        Path folder = OutputPaths.checkWritable(target);
        Path temporary = null;
        try {
            temporary = TempFiles.create(folder);
            return new AtomicOutput(destination, temporary, new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16));
        } catch (IOException e) {
            if (temporary != null) {
                TempFiles.discard(temporary);
            }
            throw OutputPaths.failure(target, e);
        }
    }

    /** Checks, before any work, that {@code target} can be written; returns its folder. */
    public static Path checkWritable(Path target) {
        return OutputPaths.checkWritable(target);
    }

    public OutputStream stream() {
        return stream;
    }

    public Path target() {
        return target;
    }

    /** Writes {@code bytes}; a failure (a full disk, say) is a LossgridException with the reason. */
    public void write(byte[] bytes, int length) {
        try {
            stream.write(bytes, 0, length);
        } catch (IOException e) {
            throw OutputPaths.failure(target, e);
        }
    }

    /** Flushes and closes the temporary file; what remains is the rename. */
    void finish() {
        if (!finished) {
            try {
                stream.close();
                finished = true;
            } catch (IOException e) {
                throw OutputPaths.failure(target, e);
            }
        }
    }

    /** Renames the finished temporary file over the target. */
    void publish() {
        try {
            TempFiles.publish(temporary, target);
            published = true;
        } catch (IOException e) {
            throw OutputPaths.failure(target, e);
        }
    }

    boolean published() {
        return published;
    }

    /** Flushes and renames the temporary file over the target. */
    public void commit() {
        finish();
        publish();
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() {
        if (!published) {
            try {
                stream.close();
            } catch (IOException e) {
                // the temporary file is deleted below either way
            }
            TempFiles.discard(temporary);
        }
    }

    /** Writes a whole file atomically. */
    public static void write(Path target, byte[] content) {
        try (AtomicOutput out = open(target)) {
            out.write(content, content.length);
            out.commit();
        }
    }
}
