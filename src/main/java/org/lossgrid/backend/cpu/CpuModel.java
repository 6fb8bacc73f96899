package org.lossgrid.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU's model name from /proc/cpuinfo where there is one. */
public final class CpuModel {
    private CpuModel() {
    }

    public static String name() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux: fall through to the architecture
        }
        return System.getProperty("os.arch");
    }
}
