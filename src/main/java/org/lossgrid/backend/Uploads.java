package org.lossgrid.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** Host arrays to the device, all or none: the one upload-and-rollback path of the device backends. */
public final class Uploads {
    private Uploads() {
    }

    /**
     * Uploads each array in order; if one fails, the ones already on the device are freed (last first)
     * and the failure propagates, so a half-uploaded dataset or plane never leaks device memory.
     */
    public static <H> List<H> all(List<float[]> arrays, Function<float[], H> upload, Consumer<H> free) {
        List<H> done = new ArrayList<>();
        try {
            for (float[] array : arrays) {
                done.add(upload.apply(array));
            }
            return done;
        } catch (RuntimeException | Error e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                try {
                    free.accept(done.get(i));
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }
}
