package org.lossgrid.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.lossgrid.util.Releases;

/**
 * The compiled kernels of one device context, built once per kernel source and set of {@code -D}
 * defines and kept until {@link #close()}: OpenCL programs and CUDA modules (from packaged PTX or
 * NVRTC) both live in one of these. After ArrayFire's {@code kernel_cache}.
 *
 * @param <P> what a build yields (a program or module with its kernels), released by the cache
 */
public final class KernelCache<P> implements AutoCloseable {
    /** A kernel source (a path under {@code kernels/}) and its defines, {@code NAME=VALUE}, in order. */
    public record Key(String source, List<String> defines) {
        public Key {
            defines = List.copyOf(defines);
        }

        /** The defines as compiler options, each after {@code flag}: {@code -D LOSS=0 -D K=1}. */
        public List<String> options(String flag) {
            List<String> options = new ArrayList<>();
            for (String define : defines) {
                options.add(flag + define);
            }
            return options;
        }
    }

    private final Map<Key, P> built = new LinkedHashMap<>();
    private final Consumer<P> release;

    public KernelCache(Consumer<P> release) {
        this.release = release;
    }

    /** What {@code key} built, building it with {@code build} the first time; a failed build is not cached. */
    public P get(Key key, Function<Key, P> build) {
        P value = built.get(key);
        if (value == null) {
            value = build.apply(key);
            built.put(key, value);
        }
        return value;
    }

    /** Releases everything built, in order, even after a failed release (the first failure is rethrown); closing again does nothing. */
    @Override
    public void close() {
        List<Runnable> releases = new ArrayList<>();
        built.values().forEach(value -> releases.add(() -> release.accept(value)));
        built.clear();
        Releases.all(releases);
    }
}
