package org.lossgrid.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.lossgrid.report.Json;
import org.lossgrid.util.Progress;

/** Where the CLI talks: results to stdout, logs and progress to stderr. */
final class Console {
    private final PrintStream out;
    private final PrintStream err;
    private boolean jsonPrinted;

    Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    PrintStream out() {
        return out;
    }

    /** Prints the command's one JSON object on stdout. */
    void json(com.fasterxml.jackson.databind.node.ObjectNode node) {
        out.println(Json.text(node));
        jsonPrinted = true;
    }

    /** Whether the command has printed its JSON object, so that a failure after it adds no second one. */
    boolean jsonPrinted() {
        return jsonPrinted;
    }

    /** "wrote FILE" on stdout for each file that was asked for (the others are null). */
    void wrote(org.lossgrid.i18n.Text words, java.nio.file.Path... files) {
        for (java.nio.file.Path file : files) {
            if (file != null) {
                out.println(words.get("wrote", file));
            }
        }
    }

    void log(String message) {
        err.println("lossgrid: " + message);
    }

    /** Percent done on stderr, only once the work has taken more than a second, at most every second. */
    Progress progress(String what) {
        long start = System.nanoTime();
        return new Progress() {
            private long lastReport = start;

            @Override
            public void update(long done, long total) {
                long now = System.nanoTime();
                if (now - start < 1_000_000_000L || (now - lastReport < 1_000_000_000L && done < total)) {
                    return;
                }
                lastReport = now;
                double seconds = (now - start) * 1e-9;
                double eta = done == 0 ? 0 : seconds * (total - done) / done;
                err.printf(Locale.ROOT, "lossgrid: %s %5.1f%% (%.1f s, about %.0f s left)%n", what,
                        100.0 * done / total, seconds, eta);
            }
        };
    }
}
