package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.report.Json;

/** {@code lossgrid landscape} end to end: from a params file and from training here, its files, its errors. */
class LandscapeCliTest {
    @TempDir
    static Path shared;

    @TempDir
    Path folder;

    private static Path params;
    private static double trainLoss;

    @BeforeAll
    static void trainAModel() throws IOException {
        params = shared.resolve("relu3.json");
        Cli cli = Cli.run("train", "--backend", "cpu", "--model", "relu:3", "--epochs", "40", "--optimizer", "adam",
                "--lr", "0.05", "--seed", "2", "--save-params", params.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        trainLoss = Json.MAPPER.readTree(cli.out()).get("train_loss").asDouble();
    }

    @Test
    void theCentreOfTheLandscapeIsTheTrainLossOfTheParamsFile() throws IOException {
        Path npy = folder.resolve("l.npy");
        Path csv = folder.resolve("l.csv");
        Path png = folder.resolve("l.png");
        Cli cli = Cli.run("landscape", "--backend", "cpu", "--params", params.toString(), "--directions", "filter",
                "--range", "-1:1:5", "--beta-range", "-0.5:0.5:3", "--npy", npy.toString(), "--csv", csv.toString(),
                "--png", png.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        assertEquals(trainLoss, summary.get("centre_loss").asDouble(), 1e-6 * trainLoss);
        assertEquals("relu:3", summary.get("model").asText());
        assertEquals("filter", summary.get("directions").asText());
        assertEquals(5, summary.get("grid").get("alpha").get("n").asInt());
        assertEquals(-0.5, summary.get("grid").get("beta").get("min").asDouble());
        assertTrue(summary.get("local_minima").get("count").asLong() >= 0);
        assertTrue(summary.get("min").get("loss").asDouble() <= summary.get("centre_loss").asDouble() * (1 + 1e-6));
        for (String key : List.of("backend", "device", "seconds", "evals_per_second", "samples")) {
            assertTrue(summary.has(key), key);
        }
        byte[] bytes = Files.readAllBytes(npy);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int header = buffer.getShort(8) & 0xffff;
        assertTrue(new String(bytes, 10, header).contains("(3, 5)"));
        float centre = buffer.getFloat(10 + header + (1 * 5 + 2) * Float.BYTES);
        assertEquals(trainLoss, centre, 1e-6 * trainLoss, "row beta = 0, column alpha = 0");
        List<String> lines = Files.readAllLines(csv);
        assertEquals("alpha,beta,loss", lines.get(0));
        assertEquals(16, lines.size());
        assertTrue(Files.size(png) > 10_000);
    }

    @Test
    void aNetworkTrainedHereWithItsTrajectoryOnThePcaPlane() throws IOException {
        Path png = folder.resolve("pca.png");
        Cli cli = Cli.run("landscape", "--backend", "cpu", "--model", "relu:2", "--epochs", "30", "--optimizer", "adam",
                "--lr", "0.05", "--directions", "pca", "--range", "-3:3:9", "--png", png.toString(), "--lang", "zh",
                "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        assertEquals("pca", summary.get("directions").asText());
        assertEquals("trained", summary.get("source").asText());
        JsonNode explained = summary.get("explained_variance");
        assertTrue(explained.get(0).asDouble() >= explained.get(1).asDouble() && explained.get(0).asDouble() <= 1);
        JsonNode path = summary.get("trajectory");
        assertEquals(25, path.size());
        JsonNode last = path.get(path.size() - 1);
        assertEquals(0, last.get(0).asDouble(), 1e-12, "the trajectory ends at theta*");
        assertEquals(0, last.get(1).asDouble(), 1e-12);
        assertTrue(Files.size(png) > 10_000);
    }

    @Test
    void oneDimensionalLandscapesHaveOneRow() throws IOException {
        Cli cli = Cli.run("landscape", "--backend", "cpu", "--params", params.toString(), "--directions",
                "params:W1[0,0],b2[0]", "--range", "-2:2:41", "--1d", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        assertEquals(1, summary.get("grid").get("beta").get("n").asInt());
        assertEquals("params:W1[0,0],b2[0]", summary.get("directions").asText());
        assertEquals(trainLoss, summary.get("centre_loss").asDouble(), 1e-6 * trainLoss);
    }

    @Test
    void badInputIsExit2WithAClearMessageAndNoFiles() throws IOException {
        Path other = folder.resolve("lags3.json");
        assertEquals(0, Cli.run("train", "--backend", "cpu", "--model", "relu:2", "--lags", "3", "--epochs", "2",
                "--save-params", other.toString()).exitCode());
        String p = params.toString();
        List<List<String>> cases = List.of(
                List.of("--params", p, "--range", "1:0:5"),
                List.of("--params", p, "--range", "-1:1"),
                List.of("--params", p, "--directions", "sideways"),
                List.of("--params", p, "--directions", "params:W1[9,0],b1[0]"),
                List.of("--params", p, "--directions", "params:b1[0],B1[0]"),
                List.of("--params", p, "--lags", "3"),
                List.of("--params", other.toString(), "--lags", "1"),
                List.of("--params", p, "--1d", "--beta-range", "-1:1:3"),
                List.of("--params", p, "--directions", "pca"),
                List.of("--params", p, "--model", "relu:4"),
                List.of("--directions", "filter"),
                List.of("--model", "linear"));
        List<String> expected = List.of("--range", "--range", "--directions", "unknown parameter", "same parameter",
                "--lags", "--lags", "--1d", "pca", "--model", "--params", "linear");
        for (int i = 0; i < cases.size(); i++) {
            Path npy = folder.resolve("bad" + i + ".npy");
            Path png = folder.resolve("bad" + i + ".png");
            List<String> args = new java.util.ArrayList<>(List.of("landscape", "--backend", "cpu", "--npy", npy.toString(),
                    "--png", png.toString()));
            args.addAll(cases.get(i));
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertEquals(2, cli.exitCode(), args + ": " + cli.err());
            assertTrue(cli.err().contains(expected.get(i)), args + ": " + cli.err());
            assertTrue(!Files.exists(npy) && !Files.exists(png), args + " left a file");
        }
        Path npy = folder.resolve("small.npy");
        Cli tooSmall = Cli.run("landscape", "--backend", "cpu", "--params", p, "--max-memory", "1k", "--npy", npy.toString());
        assertEquals(4, tooSmall.exitCode(), tooSmall.err());
        assertTrue(tooSmall.err().contains("--max-memory"), tooSmall.err());
        assertTrue(!Files.exists(npy));
        try (var left = Files.list(folder)) {
            assertEquals(List.of(other), left.toList(), "no temporary files either");
        }
    }
}
