package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupted runs leave the folder as it was: real subprocesses, real signals. A brute-force surface
 * of 8192 x 8192 points (a 256 MiB NPY, several seconds on two cores) is interrupted once its temporary
 * file exists; afterwards no process of the run remains, and the folder holds neither the output nor a
 * temporary file.
 */
class InterruptionTest {
    @TempDir
    Path folder;

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** The CLI in a fresh JVM; {@code plain}: without libjsig preloaded, so it re-executes itself (java -jar). */
    private Process start(boolean plain, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx1g", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        builder.environment().remove("LOSSGRID_REEXEC");
        builder.environment().remove("LOSSGRID_NO_REEXEC");
        if (plain) {
            builder.environment().remove("LD_PRELOAD");
        } else {
            builder.environment().put("LOSSGRID_NO_REEXEC", "1");
        }
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private Process bigSurface(boolean plain) throws IOException {
        return start(plain, "surface", "--w", "0:1:8192", "--b", "0:1:8192", "--method", "brute", "--npy", "big.npy");
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    /** Waits until the run's temporary file exists, so that the signal lands mid-write. */
    private void awaitTemporaryFile(Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (entries().stream().anyMatch(p -> p.getFileName().toString().startsWith(".lossgrid-"))) {
                return;
            }
            assertTrue(process.isAlive(), "the run ended before it wrote anything");
            Thread.sleep(20);
        }
        throw new AssertionError("no temporary file appeared within 60 s");
    }

    private static void signal(Process process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertEquals(0, kill.waitFor());
    }

    /** Every process of the run (the JVM and a re-executed child) is gone, and the folder is empty. */
    private void assertNothingLeft(Process process) throws Exception {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the run did not stop");
        List<ProcessHandle> descendants = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            descendants = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(Main.class.getName()) && c.contains("8192"))
                            .orElse(false))
                    .filter(p -> p.info().startInstant().map(t -> !t.isBefore(process.info().startInstant()
                            .orElse(t))).orElse(false))
                    .toList();
            if (descendants.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertEquals(List.of(), descendants, "processes of the run remain");
        // a process whose command line can no longer be read looks gone while its hooks still run: give
        // them the same time to finish
        while (!entries().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), entries(), "the folder is not as it was");
    }

    @Test
    void sigtermLeavesNoTemporaryFileAndNoOutput() throws Exception {
        Process run = bigSurface(false);
        awaitTemporaryFile(run);
        signal(run, "TERM");
        assertNothingLeft(run);
    }

    @Test
    void sigintLeavesNoTemporaryFileAndNoOutput() throws Exception {
        Process run = bigSurface(false);
        awaitTemporaryFile(run);
        signal(run, "INT");
        assertNothingLeft(run);
    }

    /** Plain java -jar: the parent passes SIGTERM on to the re-executed child and waits for it. */
    @Test
    void killingThePlainJvmStopsItsRestartedChildToo() throws Exception {
        assumeTrue(Files.isRegularFile(SignalChaining.library()) && Files.isRegularFile(Path.of("/proc/self/maps")),
                "needs Linux and a JDK with libjsig.so (only then does the JVM restart itself)");
        Process run = bigSurface(true);
        awaitTemporaryFile(run);
        assertFalse(run.children().toList().isEmpty(), "the plain JVM did not restart itself with libjsig");
        signal(run, "TERM");
        assertNothingLeft(run);
    }

    /** SIGKILL of the parent: no hook runs there, but the child notices and stops, cleaning up. */
    @Test
    void theRestartedChildDiesWithItsParent() throws Exception {
        assumeTrue(Files.isRegularFile(SignalChaining.library()) && Files.isRegularFile(Path.of("/proc/self/maps")),
                "needs Linux and a JDK with libjsig.so (only then does the JVM restart itself)");
        Process run = bigSurface(true);
        awaitTemporaryFile(run);
        signal(run, "KILL");
        assertNothingLeft(run);
    }

    /** kill -9 leaves a temporary file that no hook could remove; the next run in that folder removes it. */
    @Test
    void aLaterRunRemovesTheTemporaryFilesOfDeadRuns() throws Exception {
        Process run = bigSurface(false);
        awaitTemporaryFile(run);
        signal(run, "KILL");
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, entries().size(), "kill -9 leaves the temporary file: " + entries());
        Path foreign = Files.writeString(folder.resolve(".lossgrid-notes.tmp"), "not ours: the name has no pid");
        Process next = start(false, "surface", "--w", "0:1:8", "--b", "0:1:8", "--npy", "small.npy");
        assertTrue(next.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, next.exitValue());
        assertEquals(List.of(foreign, folder.resolve("small.npy")), entries().stream().sorted().toList());
    }
}
