package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of the error table: the message names what is wrong, the exit code is the documented
 * one, nothing but the message reaches the user (no stack trace), and no output file is left behind.
 */
class CliErrorsTest {
    @TempDir
    Path folder;

    private Path csv(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    /** Runs a surface command that would write out.npy, out.csv and out.png into the folder. */
    private Cli surface(String... extra) {
        return Cli.run(surfaceArgs(extra));
    }

    private String[] surfaceArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("surface", "--w", "0:2:5", "--b", "-10:10:5",
                "--npy", folder.resolve("out.npy").toString(), "--csv", folder.resolve("out.csv").toString(),
                "--png", folder.resolve("out.png").toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private void assertFails(Cli cli, int code, String message) throws IOException {
        assertEquals(code, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains(message), "stderr was: " + cli.err());
        assertFalse(cli.err().contains("\tat "), "stack trace on stderr: " + cli.err());
        assertEquals("", cli.out());
        try (Stream<Path> files = Files.list(folder)) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("out") || n.startsWith(".out")).toList();
            assertEquals(List.of(), left, "files left behind");
        }
    }

    @Test
    void malformedCsvNamesLineAndColumn() throws IOException {
        Path data = csv("bad.csv", "date,views\n2020-01-01,10\n2020-01-02,1x\n");
        assertFails(surface("--data", data.toString()), 2, "bad.csv, line 3, column 2 (views): '1x' is not a number");
    }

    @Test
    void unterminatedQuoteIsMalformed() throws IOException {
        Path data = csv("bad.csv", "date,views\n2020-01-01,10\n\"2020-01-02,11\n");
        assertFails(surface("--data", data.toString()), 2, "malformed CSV");
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(surface("--data", csv("empty.csv", "").toString()), 2, "empty.csv: the file is empty");
    }

    @Test
    void missingFile() throws IOException {
        assertFails(surface("--data", folder.resolve("nope.csv").toString()), 2, "nope.csv: no such file");
    }

    @Test
    void unknownColumn() throws IOException {
        Path data = csv("t.csv", "y,x\n1,2\n3,4\n5,7\n");
        assertFails(surface("--data", data.toString(), "--y", "y", "--x", "z"), 2, "--x: " + data + " has no column 'z'");
    }

    @Test
    void nanAndInfinity() throws IOException {
        assertFails(surface("--data", csv("n.csv", "y,x\n1,2\nNaN,4\n").toString(), "--y", "y", "--x", "x"), 2,
                "line 3, column 1 (y): nan is not allowed");
        assertFails(surface("--data", csv("i.csv", "y,x\n1,-Infinity\n3,4\n").toString(), "--y", "y", "--x", "x"), 2,
                "line 2, column 2 (x): -infinity is not allowed");
    }

    @Test
    void nonNumericViews() throws IOException {
        Path data = csv("v.csv", "date,views\n2020-01-01,many\n");
        assertFails(surface("--data", data.toString()), 2, "'many' is not a number");
    }

    @Test
    void tooFewRowsForTheLags() throws IOException {
        Path data = csv("short.csv", "date,views\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n");
        assertFails(surface("--data", data.toString(), "--lags", "7"), 2, "3 days are too few for 7 lags");
    }

    @Test
    void dateGap() throws IOException {
        Path data = csv("gap.csv", "date,views\n2020-01-01,1\n2020-01-02,2\n2020-01-04,3\n");
        assertFails(surface("--data", data.toString()), 2, "gap in the dates: 2020-01-03 missing before 2020-01-04");
    }

    @Test
    void invalidGrids() throws IOException {
        assertFails(Cli.run("surface", "--w", "0:1:0", "--b", "0:1:3", "--npy", folder.resolve("out.npy").toString()),
                2, "--w: N must be at least 1");
        assertFails(Cli.run("surface", "--w", "0:1:3", "--b", "5:1:3", "--npy", folder.resolve("out.npy").toString()),
                2, "--b: MIN 5 is greater than MAX 1");
        assertFails(Cli.run("surface", "--w", "zero:1:3", "--b", "0:1:3", "--npy", folder.resolve("out.npy").toString()),
                2, "--w: MIN must be a finite number, got 'zero'");
    }

    @Test
    void gridTooBigForTheMemoryBudget() throws IOException {
        assertFails(Cli.run("surface", "--w", "0:2:100000", "--b", "0:1:100000", "--max-memory", "64k",
                "--npy", folder.resolve("out.npy").toString()), 4, "above the memory budget of 64.0 KiB");
    }

    @Test
    void outputFolderThatCannotBeWritten() throws IOException {
        Path missing = folder.resolve("no-such-folder").resolve("out.npy");
        assertFails(Cli.run("surface", "--w", "0:1:3", "--b", "0:1:3", "--npy", missing.toString()), 2,
                "the folder " + missing.getParent() + " does not exist");
        Path file = csv("plain-file", "x");
        assertFails(Cli.run("surface", "--w", "0:1:3", "--b", "0:1:3", "--png", file.resolve("out.png").toString()), 2,
                "does not exist");
    }

    @Test
    void unavailableBackend() throws IOException {
        assertFails(Cli.runWithoutCudaDriver(surfaceArgs("--backend", "cuda")), 3, "backend cuda");
        assertFails(surface("--backend", "tpu"), 2, "--backend: unknown backend 'tpu'");
    }

    @Test
    void badUsage() throws IOException {
        assertFails(Cli.run("surface", "--frobnicate"), 2, "Unknown option: '--frobnicate'");
        assertFails(surface("--loss", "hinge"), 2, "--loss: unknown loss 'hinge'");
        assertFails(surface("--axes", "w1,w9"), 2, "--axes: unknown parameter 'w9'");
        assertFails(surface("--at", "w2=1"), 2, "--at: unknown parameter 'w2'");
        assertFails(surface("--at", "optimu"), 2, "--at: expected NAME=VALUE or 'optimum', got 'optimu'");
    }
}
