package org.lossgrid.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The kernels' compile-time constants (rows per work-item, samples per chunk, the most features), from
 * the one table {@code kernels/common/constants.properties}: the launch code reads its numbers here, and
 * the same entries reach every compiler as {@code -D} defines (OpenCL and NVRTC through
 * {@link #defines()}, nvcc through {@code build-ptx.sh}), so a constant is never written twice.
 */
public final class KernelConstants {
    static final String RESOURCE = "common/constants.properties";

    private final Map<String, Integer> values;

    private KernelConstants(Map<String, Integer> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** The constants of one kernel family: {@code opencl} or {@code cuda}. */
    public static KernelConstants of(String family) {
        Properties table = new Properties();
        try (InputStream in = KernelConstants.class.getResourceAsStream("/kernels/" + RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("/kernels/" + RESOURCE + " is missing from the jar");
            }
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> values = new TreeMap<>();
        String prefix = family + ".";
        for (String key : table.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), Integer.parseInt(table.getProperty(key).trim()));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalStateException("/kernels/" + RESOURCE + " has no " + family + ".* constants");
        }
        return new KernelConstants(values);
    }

    /** The constant {@code name}; a name the table lacks is a bug in the launch code. */
    public int get(String name) {
        Integer value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("no kernel constant " + name + " in /kernels/" + RESOURCE);
        }
        return value;
    }

    /** Every constant as a define, {@code NAME=VALUE}, in name order. */
    public List<String> defines() {
        List<String> defines = new ArrayList<>();
        values.forEach((name, value) -> defines.add(name + "=" + value));
        return defines;
    }
}
