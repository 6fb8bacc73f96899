package org.lossgrid.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lossgrid.backend.Backends;
import org.lossgrid.backend.Probe;
import org.lossgrid.cli.SignalChaining;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar [JMH options]}: JMH, with the {@code backend}
 * parameter limited to the backends whose probe succeeds here. Each unavailable backend is printed
 * with its reason and skipped, never failed. A {@code -p backend=...} given on the command line wins.
 * Like the CLI, it restarts itself once with libjsig preloaded (see SignalChaining).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (SignalChaining.possible()) {
            // JMH forks inherit this environment: POCL needs libjsig preloaded in every JVM that opens it
            System.exit(SignalChaining.reexecute(BenchMain.class, args));
        }
        List<String> jmh = new ArrayList<>(Arrays.asList(args));
        boolean chosen = jmh.stream().anyMatch(a -> a.startsWith("backend="));
        if (!chosen) {
            List<String> available = new ArrayList<>();
            for (Probe probe : Backends.standard().probeAll()) {
                if (probe.available()) {
                    available.add(probe.backend());
                } else {
                    System.err.println("benchmarks: skipping backend " + probe.backend() + ": " + probe.reason());
                }
            }
            jmh.add("-p");
            jmh.add("backend=" + String.join(",", available));
        }
        org.openjdk.jmh.Main.main(jmh.toArray(String[]::new));
    }
}
