package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.SampleChannel;
import org.lossgrid.data.Series;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.report.Json;

class CliTest {
    @TempDir
    Path folder;

    @Test
    void demoWritesEveryFigureOfTheLessonAndPrintsTheBooksFigures() throws IOException {
        Path out = folder.resolve("demo");
        Cli cli = Cli.run("demo", "--out", out.toString(), "--grid", "64", "--backend", "cpu", "--lang", "en");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("w*"), cli.out());
        assertTrue(cli.out().contains("0.97"), cli.out());
        for (String figure : DemoCommand.FIGURES) {
            assertTrue(ImageIO.read(out.resolve(figure).toFile()).getWidth() > 300, figure);
        }
        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals("cpu", summary.get("backend").asText());
        assertEquals(64, summary.get("grid").get("w").get("n").asInt());
        double w = summary.get("optimum").get("w").get(0).asDouble();
        assertTrue(w > 0.9 && w < 1.0, "w* " + w);
        assertEquals(128 + 4L * 64 * 64, Files.size(out.resolve("surface.npy")));
        JsonNode lags = summary.get("lags");
        assertEquals(4, lags.size());
        assertEquals(580, lags.get(0).get("book_test_loss").asDouble());
        assertTrue(lags.get(2).get("book_train_loss").isNull(), "the book gives no L for 28 days");
        assertEquals(0.79, lags.get(1).get("lecture_params").get("w").get(0).asDouble());
        assertEquals(8, lags.get(1).get("params").get("w").size() + 1);
        assertEquals(8, summary.get("lr_presets").size());
        String page = Files.readString(out.resolve("index.html"));
        int last = -1;
        for (String figure : DemoCommand.FIGURES) {
            int at = page.indexOf("src=\"" + figure + "\"");
            assertTrue(at > last, figure + " in the book's order in index.html");
            last = at;
        }
        assertTrue(page.contains("Fig 1.1") && page.contains("Fig 1.5"), page);
    }

    @Test
    void demoSpeaksChineseUnderAChineseLocale() throws IOException, InterruptedException {
        Path out = folder.resolve("demo-zh");
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo",
                "--out", out.toString(), "--grid", "32", "--backend", "cpu");
        command.environment().remove("LC_ALL");
        command.environment().remove("LC_MESSAGES");
        command.environment().put("LANG", "zh_CN.UTF-8");
        command.environment().put("LOSSGRID_NO_REEXEC", "1");
        command.redirectErrorStream(true);
        Process process = command.start();
        String printed = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), printed);
        String text = printed + Files.readString(out.resolve("index.html"));
        assertTrue(text.contains("误差表面"), text);
        assertTrue(text.contains("学习率"), text);
    }

    @Test
    void jsonModePrintsExactlyOneObject() throws IOException {
        Cli cli = Cli.run("surface", "--w", "0.8:1.1:33", "--b", "-200:600:17", "--loss", "mse", "--json", "--backend", "cpu");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        for (String key : new String[] {"backend", "device", "loss", "grid", "argmin", "seconds", "evals_per_second", "method"}) {
            assertTrue(summary.has(key), key + " in " + cli.out());
        }
        assertEquals("mse", summary.get("loss").asText());
        assertEquals("exact-fast", summary.get("method").asText());
        assertEquals(17, summary.get("grid").get("b").get("n").asInt());
        assertTrue(summary.get("argmin").get("loss").asDouble() > 0);
    }

    @Test
    void atOptimumHoldsTheOtherLagsAtTheExactFitSoTheSliceReachesItsLoss() throws IOException {
        Cli cli = Cli.run("surface", "--lags", "7", "--at", "optimum,w7=0.25", "--w", "0.217:0.237:41", "--b", "27.7:47.7:41",
                "--json", "--backend", "cpu");
        assertEquals(0, cli.exitCode(), cli.err());
        Dataset train = SampleChannel.bundled().lagFeatures(7, Series.DEFAULT_TRAIN_UNTIL).train();
        ExactOptimum.Fit fit = ExactOptimum.fit(Loss.MAE, train, true);
        JsonNode held = Json.MAPPER.readTree(cli.out()).get("held");
        assertEquals(6, held.size(), held.toString());
        for (int j = 2; j <= 6; j++) {
            assertEquals(fit.params().w(j - 1), held.get("w" + j).asDouble(), 1e-12, "w" + j);
        }
        assertEquals(0.25, held.get("w7").asDouble());
        // the grid brackets the optimum's w1 and b finely, and w7 is moved off its optimum by about 0.0006,
        // so the slice's lowest point lies just above the exact loss (with w2..w7 at 0 it would be 33% above)
        double lowest = Json.MAPPER.readTree(cli.out()).get("argmin").get("loss").asDouble();
        assertTrue(lowest >= fit.loss() * (1 - 1e-6) && lowest < fit.loss() * 1.02, lowest + " vs " + fit.loss());
    }

    @Test
    void generateReproducesTheBundledSample() throws IOException {
        Path out = folder.resolve("channel.csv");
        Cli cli = Cli.run("generate", "--out", out.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        try (var bundled = SampleChannel.class.getResourceAsStream(SampleChannel.RESOURCE)) {
            assertEquals(new String(bundled.readAllBytes()), Files.readString(out));
        }
    }

    @Test
    void devicesListsTheCpu() {
        Cli cli = Cli.run("devices");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("cpu     device 0"), cli.out());
    }

    @Test
    void benchWritesResultsWithTheMachineAndChecksPeers() throws IOException {
        Path out = folder.resolve("bench.json");
        Cli cli = Cli.run("bench", "--grid", "24", "--repeat", "1", "--out", out.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode results = Json.MAPPER.readTree(out.toFile());
        assertTrue(results.get("machine").get("cores").asInt() >= 1);
        assertTrue(results.get("machine").has("devices"));
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonNode row : results.get("results")) {
            names.add(row.get("implementation").asText() + "/" + row.get("loss").asText());
            assertTrue(row.get("evals_per_second").asDouble() > 0, row.toString());
            if (row.has("max_relative_difference")) {
                assertTrue(row.get("max_relative_difference").asDouble() <= 1e-4, row.toString());
            }
        }
        assertTrue(names.contains("cpu brute/mae") && names.contains("cpu exact-fast/mse"), names.toString());
        assertEquals(Json.MAPPER.readTree(cli.out()), results);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"demo", "surface", "train", "devices", "generate", "bench"}) {
            Cli cli = Cli.run(command, "--help");
            assertEquals(0, cli.exitCode(), command);
            assertTrue(cli.out().contains("Usage: lossgrid " + command), cli.out());
        }
    }
}
