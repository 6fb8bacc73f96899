package org.lossgrid.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel sources from the classpath ({@code /kernels/...}, packaged from the repository's
 * {@code kernels/} folder), never from the working directory. Runtime compilers get the source as
 * one string, so {@code #include "relative/path"} lines naming our own files are inlined here, once
 * each.
 */
public final class KernelSource {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*#include\\s+\"([^\"]+)\"\\s*$");

    private KernelSource() {
    }

    /** The source at {@code path} (e.g. {@code opencl/lossgrid.cl}) with its includes inlined. */
    public static String load(String path) {
        return expand(path, new HashSet<>());
    }

    private static String expand(String path, Set<String> seen) {
        String normalized = java.nio.file.Path.of(path).normalize().toString().replace('\\', '/');
        if (!seen.add(normalized)) {
            return "";
        }
        String text = read(normalized);
        String folder = normalized.contains("/") ? normalized.substring(0, normalized.lastIndexOf('/') + 1) : "";
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(expand(folder + m.group(1), seen)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String path) {
        try (InputStream in = KernelSource.class.getResourceAsStream("/kernels/" + path)) {
            if (in == null) {
                throw new IllegalStateException("kernel source /kernels/" + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
