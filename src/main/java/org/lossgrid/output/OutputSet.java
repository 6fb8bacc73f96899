package org.lossgrid.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of one run, committed together: each is written to its temporary file, and only when all
 * are complete does {@link #commit()} rename them into place. If a rename fails, the outputs already
 * renamed are removed again and the rest discarded, so a run leaves all of its files or none. Closing an
 * uncommitted set discards everything.
 */
public final class OutputSet implements AutoCloseable {
    private final List<AtomicOutput> outputs = new ArrayList<>();

    /** A new output of this set. */
    public AtomicOutput open(Path target) {
        AtomicOutput out = AtomicOutput.open(target);
        outputs.add(out);
        return out;
    }

    /** A whole file of this set. */
    public void write(Path target, byte[] content) {
        open(target).write(content, content.length);
    }

    /** Finishes every output, then renames each into place; on any failure none of them stays. */
    public void commit() {
        for (AtomicOutput out : outputs) {
            out.finish();
        }
        List<AtomicOutput> done = new ArrayList<>();
        try {
            for (AtomicOutput out : outputs) {
                out.publish();
                done.add(out);
            }
        } catch (RuntimeException e) {
            for (AtomicOutput out : done) {
                try {
                    Files.deleteIfExists(out.target());
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Discards every output not committed. */
    @Override
    public void close() {
        outputs.forEach(AtomicOutput::close);
    }
}
