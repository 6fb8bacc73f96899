package org.lossgrid.cli;

import org.lossgrid.report.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCliTest {
    @TempDir
    Path folder;

    @Test
    void jsonSummaryHasTheContractsFields() throws IOException {
        Cli cli = Cli.run("train", "--loss", "mse", "--json", "--backend", "cpu");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode s = Json.MAPPER.readTree(cli.out());
        for (String key : List.of("backend", "device", "loss", "params", "train_loss", "test_loss", "steps", "converged",
                "diverged", "optimum", "seconds")) {
            assertTrue(s.has(key), key);
        }
        assertTrue(s.get("converged").asBoolean());
        assertEquals(s.get("optimum").get("loss").asDouble(), s.get("train_loss").asDouble(),
                1e-9 * s.get("train_loss").asDouble());
    }

    @Test
    void pathPictureAndTrajectoryAreWritten() throws IOException {
        Path png = folder.resolve("path.png");
        Path csv = folder.resolve("path.csv");
        Cli cli = Cli.run("train", "--steps", "200", "--png", png.toString(), "--trajectory", csv.toString(),
                "--init", "b=-500,w=0.2");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("exact optimum"), cli.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,loss,b,w1", lines.get(0));
        assertTrue(lines.get(1).startsWith("0,") && lines.get(1).contains(",-500.0,"), lines.get(1));
        assertTrue(lines.get(lines.size() - 1).startsWith("200,"), lines.get(lines.size() - 1));
        assertTrue(Files.size(png) > 10_000);
    }

    @Test
    void divergenceExitsWithFiveNamesTheRateAndStillWritesThePath() throws IOException {
        Path csv = folder.resolve("path.csv");
        Cli cli = Cli.run("train", "--loss", "mse", "--scale", "none", "--lr", "0.1", "--trajectory", csv.toString());
        assertEquals(5, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains("training diverged at step 1 with learning rate 0.1"), cli.err());
        assertTrue(cli.err().contains("stable below lr"), cli.err());
        assertTrue(Files.readAllLines(csv).size() >= 3);
    }

    @Test
    void invalidSettingsAreBadUsage() {
        assertBad(Cli.run("train", "--lr", "-1"), "--lr must be a positive finite number");
        assertBad(Cli.run("train", "--lr", "0"), "--lr must be a positive finite number");
        assertBad(Cli.run("train", "--lr", "NaN"), "--lr must be a positive finite number");
        assertBad(Cli.run("train", "--steps", "0"), "--steps must be at least 1");
        assertBad(Cli.run("train", "--init", "w3=1"), "--init: unknown parameter 'w3'");
        assertBad(Cli.run("train", "--optimizer", "sgd"), "--optimizer: unknown optimizer 'sgd'");
        assertBad(Cli.run("train", "--lr-sweep", "0:1:5"), "--lr-sweep: learning rates must be positive");
    }

    @Test
    void aSweepReportsEveryRateAndMarksDivergence() throws IOException {
        Path png = folder.resolve("sweep.png");
        Cli cli = Cli.run("train", "--loss", "mse", "--lr-sweep", "0.01:4:5", "--steps", "100", "--png", png.toString(),
                "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode runs = Json.MAPPER.readTree(cli.out()).get("sweep");
        assertEquals(5, runs.size());
        assertFalse(runs.get(0).get("diverged").asBoolean());
        assertTrue(runs.get(4).get("diverged").asBoolean());
        assertTrue(Files.size(png) > 10_000);
    }

    @Test
    void noInterceptOnATable() throws IOException {
        Path data = folder.resolve("t.csv");
        Files.writeString(data, "y,x\n2,1\n4.1,2\n5.9,3\n8,4\n");
        Cli cli = Cli.run("train", "--data", data.toString(), "--y", "y", "--x", "x", "--loss", "mse", "--no-intercept",
                "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode s = Json.MAPPER.readTree(cli.out());
        assertEquals(0, s.get("params").get("b").asDouble());
        assertEquals(s.get("optimum").get("w").get(0).asDouble(), s.get("params").get("w").get(0).asDouble(), 1e-6);
    }

    private static void assertBad(Cli cli, String message) {
        assertEquals(2, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains(message), cli.err());
    }
}
