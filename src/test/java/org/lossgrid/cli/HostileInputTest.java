package org.lossgrid.cli;

import org.lossgrid.report.Json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classes of the hostile review, each at its root: output paths, non-finite numbers, errors under
 * --json, messages that leaked internals, full and read-only file systems. Every case asserts the
 * message, the exit code and the file system afterwards: no temporary file, no partial output, no
 * changed input, no replaced special file.
 */
class HostileInputTest {
    @TempDir
    Path folder;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path mount : mounts) {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(folder.resolve(name), content);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertFails(Cli cli, int code, String message) {
        assertEquals(code, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains(message), "stderr was: " + cli.err());
        assertFalse(cli.err().contains("\tat "), "stack trace: " + cli.err());
    }

    private String out(String name) {
        return folder.resolve(name).toString();
    }

    // --- output paths ---

    @Test
    void twoOutputsWithOnePathAreRefusedBeforeAnyWork() throws IOException {
        assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", out("x"), "--png", out("x")), 2,
                "--npy and --png are the same file");
        assertFails(Cli.run("train", "--steps", "3", "--png", out("t"), "--trajectory", folder.resolve("./t").toString()),
                2, "--png and --trajectory are the same file");
        assertEquals(List.of(), names());
    }

    @Test
    void anOutputThatIsTheInputIsRefusedAndTheInputIsUnchanged() throws IOException {
        String series = "date,views\n2020-01-01,10\n2020-01-02,12\n2020-01-03,11\n2020-01-04,13\n";
        Path data = file("d.csv", series);
        assertFails(Cli.run("surface", "--data", data.toString(), "--w", "0:2:5", "--b", "-10:10:5", "--csv", data.toString()),
                2, "--csv " + data + " is the input --data");
        assertEquals(series, Files.readString(data));
        assertEquals(List.of("d.csv"), names());
    }

    @Test
    void foldersTrailingSlashesDevicesFifosAndSocketsAreNotOutputFiles() throws Exception {
        Files.createDirectory(folder.resolve("sub"));
        assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", out("sub")), 2, "it is a folder");
        assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", out("new") + "/"), 2,
                "ends in '/', so it names a folder");
        assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", "/dev/null"), 2,
                "is a character device, not a regular file");
        Process mkfifo = new ProcessBuilder("mkfifo", out("fifo")).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--csv", out("fifo")), 2,
                "is a FIFO (named pipe), not a regular file");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(folder.resolve("sock")));
            assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--png", out("sock")), 2,
                    "is a socket, not a regular file");
        }
        assertTrue(Files.isDirectory(folder.resolve("sub")));
        assertTrue(names().containsAll(List.of("fifo", "sub")));
        assertFalse(names().stream().anyMatch(n -> n.endsWith(".tmp")), names().toString());
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndALinkToADeviceIsRefused() throws IOException {
        Path target = file("real.npy", "old");
        Path link = Files.createSymbolicLink(folder.resolve("link.npy"), target);
        Cli cli = Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", link.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(128 + 4 * 25, Files.size(target), "the file it points to holds the surface");
        Path toDevice = Files.createSymbolicLink(folder.resolve("full.npy"), Path.of("/dev/null"));
        assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", toDevice.toString()), 2,
                "is a character device, not a regular file");
        assertFalse(Files.isRegularFile(Path.of("/dev/null")), "/dev/null is still the device");
        assertEquals(List.of("full.npy", "link.npy", "real.npy"), names());
    }

    @Test
    void aVeryLongOutputNameGetsAShortTemporaryName() throws IOException {
        String name = "s".repeat(240) + ".npy";
        Cli cli = Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", out(name));
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(List.of(name), names());
    }

    // --- full and read-only file systems (a small tmpfs, where this runs as root) ---

    private Path tmpfs(String options) throws Exception {
        Path mount = Files.createDirectory(folder.resolve("fs-" + mounts.size()));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + new String(p.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
        mounts.add(mount);
        return mount;
    }

    @Test
    void aDiskThatFillsDuringTheWriteIsExitFourAndNoOutputOfTheRunStays() throws Exception {
        Path full = tmpfs("size=64k");
        Cli cli = Cli.run("surface", "--w", "0:2:300", "--b", "-10:10:300", "--npy", out("s.npy"),
                "--png", full.resolve("s.png").toString());
        assertFails(cli, 4, "no space left on the device (out of disk)");
        try (Stream<Path> left = Files.list(full)) {
            assertEquals(List.of(), left.toList(), "the full file system holds no temporary file");
        }
        assertFalse(Files.exists(folder.resolve("s.npy")), "the NPY of the failed run is not committed");
    }

    @Test
    void notEnoughFreeSpaceIsExitFourBeforeAnyWorkWithTheEstimate() throws Exception {
        Path small = tmpfs("size=1m");
        Cli cli = Cli.run("surface", "--w", "0:2:1000", "--b", "-10:10:1000", "--npy", small.resolve("s.npy").toString());
        assertFails(cli, 4, "needs about 3.8 MiB, but its file system has only 1.0 MiB free");
        try (Stream<Path> left = Files.list(small)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aReadOnlyFileSystemIsNamedAsSuch() throws Exception {
        Path readOnly = tmpfs("ro,size=64k");
        assertFails(Cli.run("surface", "--w", "0:2:5", "--b", "-10:10:5", "--npy", readOnly.resolve("s.npy").toString()), 2,
                "read-only");
    }

    // --- non-finite numbers ---

    @Test
    void valuesBeyondFloat32AreRefusedAtLoadTimeWithLineAndColumn() throws IOException {
        Path data = file("big.csv", "date,views\n2020-01-01,10\n2020-01-02,4e38\n2020-01-03,11\n");
        assertFails(Cli.run("train", "--data", data.toString()), 2,
                "big.csv, line 3, column 2 (views): 4e38 is beyond float32's range");
        Path table = file("t.csv", "y,x\n1,2\n3,-1e39\n5,7\n");
        assertFails(Cli.run("surface", "--data", table.toString(), "--y", "y", "--x", "x", "--png", out("t.png")), 2,
                "t.csv, line 3, column 2 (x): -1e39 is beyond float32's range");
        assertEquals(List.of("big.csv", "t.csv"), names());
    }

    @Test
    void axesThatFloat32CannotHoldAreBadInput() {
        assertFails(Cli.run("surface", "--w", "-3e38:3e38:5", "--b", "0:1:5"), 2, "--w: the span MAX - MIN");
        assertFails(Cli.run("surface", "--w", "0:1:5", "--b", "0:1e-46:5"), 2, "closer together than float32");
        assertFails(Cli.run("surface", "--w", "0:1e39:5", "--b", "0:1:5"), 2, "beyond float32's range");
    }

    @Test
    void aSurfaceThatOverflowsIsDrawnWithTheCellsMaskedAndCounted() throws IOException {
        Cli cli = Cli.run("surface", "--w", "1e30:3e38:20", "--b", "0:1:10", "--method", "brute", "--png", out("o.png"),
                "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        assertEquals(200, summary.get("non_finite").asLong());
        assertTrue(Files.size(folder.resolve("o.png")) > 1000);
        Cli fast = Cli.run("surface", "--w", "1e30:3e38:20", "--b", "0:1:10", "--method", "exact-fast", "--json");
        JsonNode argmin = Json.MAPPER.readTree(fast.out()).get("argmin");
        assertTrue(!(argmin.get("loss").asDouble() <= 0), "exact-fast never reports a loss of 0 at an overflowing point: "
                + argmin);
    }

    // --- errors under --json ---

    @Test
    void everyFailureUnderJsonPrintsOneErrorObject() throws IOException {
        for (String[] args : List.of(new String[] {"surface", "--json", "--w", "2:1:5"},
                new String[] {"surface", "--json", "--frobnicate"},
                new String[] {"train", "--json", "--backend", "cuda"},
                new String[] {"train", "--json", "--data", out("missing.csv")})) {
            Cli cli = Arrays.asList(args).contains("cuda") ? Cli.runWithoutCudaDriver(args) : Cli.run(args);
            JsonNode error = Json.MAPPER.readTree(cli.out()).get("error");
            assertEquals(cli.exitCode(), error.get("exit_code").asInt(), cli.out());
            assertTrue(cli.err().contains(error.get("message").asText()), cli.err() + " / " + cli.out());
            assertTrue(List.of("bad_input", "unavailable").contains(error.get("kind").asText()), cli.out());
        }
        Cli diverged = Cli.run("train", "--json", "--loss", "mse", "--scale", "none", "--lr", "0.1", "--steps", "50");
        assertEquals(5, diverged.exitCode());
        JsonNode summary = Json.MAPPER.readTree(diverged.out());
        assertEquals("diverged", summary.get("error").get("kind").asText());
        assertTrue(summary.get("diverged").asBoolean());
    }

    // --- messages that leaked internals ---

    @Test
    void messagesSayWhatIsWrongInTheUsersTerms() throws IOException {
        Path latin1 = folder.resolve("latin1.csv");
        Files.write(latin1, "date,views\n2020-01-01,10\n2020-01-02,1\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertFails(Cli.run("train", "--data", latin1.toString()), 2, "latin1.csv, line 3: not UTF-8 text");
        assertFails(Cli.run("train", "--data", folder.toString()), 2, "is a folder; give a CSV file");
        Path order = file("order.csv", "date,views\n2020-01-02,10\n2020-01-01,12\n");
        assertFails(Cli.run("train", "--data", order.toString()), 2, "2020-01-01 follows 2020-01-02");
        Path cases = file("case.csv", "y,x,X\n1,2,3\n3,4,5\n5,7,6\n");
        assertFails(Cli.run("train", "--data", cases.toString(), "--y", "y", "--x", "x"), 2,
                "columns 'x' and 'X' differ only in case");
        assertFails(Cli.run("surface", "--lags", "2", "--at", "w1=0.5"), 2, "--at: w1 is an axis of the surface");
        assertFails(Cli.run("generate", "--from", "2000-01-01", "--to", "9999-12-31", "--out", out("g.csv")), 2,
                "spans 2921940 days");
        Path collinear = file("col.csv", "y,u,v\n1,1,2\n2,2,4\n4,3,6\n3,4,8\n");
        assertFails(Cli.run("train", "--data", collinear.toString(), "--y", "y", "--x", "u,v", "--loss", "mse"), 2,
                "the features are collinear: v is a linear combination of b, u");
        assertEquals(List.of("case.csv", "col.csv", "latin1.csv", "order.csv"), names());
    }

    @Test
    void anUnreadableFileSaysPermissionDenied() throws IOException {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root reads any file");
        Path secret = file("secret.csv", "date,views\n2020-01-01,1\n");
        assertTrue(secret.toFile().setReadable(false));
        assertFails(Cli.run("train", "--data", secret.toString()), 2, "permission denied");
    }

    @Test
    void aDemoOnAnUnknownBackendLeavesNoFolder() throws IOException {
        assertFails(Cli.run("demo", "--out", out("demo"), "--backend", "nope"), 2, "unknown backend 'nope'");
        assertEquals(List.of(), names());
    }

    @Test
    void outputsAreCommittedTogether() throws IOException {
        Cli cli = Cli.run("train", "--steps", "20", "--png", out("p.png"), "--trajectory", out("t.csv"));
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(List.of("p.png", "t.csv"), names());
        byte[] png = Files.readAllBytes(folder.resolve("p.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }
}
