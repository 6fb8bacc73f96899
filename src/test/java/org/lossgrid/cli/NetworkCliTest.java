package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.api.Data;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.Split;
import org.lossgrid.report.Json;

/** {@code train --model} for networks and {@code predict --params}, end to end (issue 17). */
class NetworkCliTest {
    @TempDir
    Path folder;

    @Test
    void trainSavesAModelWhoseLossesTheFileAloneReproduces() throws IOException {
        Path params = folder.resolve("p.json");
        Path history = folder.resolve("h.csv");
        Path png = folder.resolve("h.png");
        Cli cli = Cli.run("train", "--backend", "cpu", "--model", "relu:6x2", "--lags", "3", "--epochs", "12", "--batch",
                "100", "--optimizer", "adam", "--lr", "0.01", "--seed", "5", "--save-params", params.toString(),
                "--history", history.toString(), "--png", png.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        assertEquals("relu:6x2", summary.get("model").asText());
        assertEquals(3 * 6 + 6 + 6 * 6 + 6 + 6 + 1, summary.get("parameters").asInt());
        Split data = Data.sample(3);
        assertEquals(12 * ((data.train().n() + 99) / 100), summary.get("steps").asInt());
        JsonNode model = Json.MAPPER.readTree(params.toFile());
        double train = summary.get("train_loss").asDouble();
        double test = summary.get("test_loss").asDouble();
        assertEquals(maeOfTheFile(model, data.train()), train, 1e-6 * train);
        assertEquals(maeOfTheFile(model, data.test()), test, 1e-6 * test);
        JsonNode last = summary.get("history").get(12);
        assertEquals(train, last.get("train_loss").asDouble(), 1e-4 * train, "the device's loss of the float32 parameters");
        List<String> rows = Files.readAllLines(history);
        assertEquals("epoch,train_loss,test_loss", rows.get(0));
        assertEquals(14, rows.size());
        assertTrue(rows.get(13).startsWith("12,"), rows.get(13));
        assertTrue(Files.size(png) > 10_000);

        Cli predict = Cli.run("predict", "--params", params.toString(), "--json");
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(test, Json.MAPPER.readTree(predict.out()).get("test_loss").asDouble(), 1e-12 * test);
        assertEquals("relu:6x2", Json.MAPPER.readTree(predict.out()).get("model").asText());
    }

    /**
     * mean_i |y_i - yhat_i| with the file's formula, written out here independently of lossgrid's model classes:
     * h0 = (x - x_mean) / x_sd, h = relu(W h + b) per hidden layer, yhat = y_mean + y_sd (W h + b).
     */
    private static double maeOfTheFile(JsonNode model, Dataset data) {
        JsonNode scale = model.get("scale");
        JsonNode layers = model.get("layers");
        double sum = 0;
        for (int i = 0; i < data.n(); i++) {
            double[] h = data.row(i);
            for (int j = 0; j < h.length; j++) {
                h[j] = (h[j] - scale.get("x_mean").get(j).asDouble()) / scale.get("x_sd").get(j).asDouble();
            }
            for (int l = 0; l < layers.size(); l++) {
                JsonNode w = layers.get(l).get("W");
                JsonNode b = layers.get(l).get("b");
                double[] next = new double[w.size()];
                for (int o = 0; o < next.length; o++) {
                    double z = b.get(o).asDouble();
                    for (int j = 0; j < h.length; j++) {
                        z += w.get(o).get(j).asDouble() * h[j];
                    }
                    next[o] = l < layers.size() - 1 ? Math.max(0, z) : z;
                }
                h = next;
            }
            double yhat = scale.get("y_mean").asDouble() + scale.get("y_sd").asDouble() * h[0];
            sum += Math.abs(data.y(i) - yhat);
        }
        return sum / data.n();
    }

    @Test
    void theSameSeedTrainsTheSameNetwork() throws IOException {
        String[] args = {"train", "--backend", "cpu", "--model", "sigmoid:4", "--epochs", "3", "--batch", "50", "--json"};
        JsonNode first = Json.MAPPER.readTree(Cli.run(args).out());
        JsonNode second = Json.MAPPER.readTree(Cli.run(args).out());
        assertEquals(first.get("train_loss").asDouble(), second.get("train_loss").asDouble(), 0);
        assertEquals(first.get("history"), second.get("history"));
    }

    @Test
    void networksTrainedTogetherEqualEachTrainedAlone() throws IOException {
        Cli together = Cli.run("train", "--backend", "cpu", "--model", "relu:5", "--lags", "2", "--epochs", "4", "--batch",
                "200", "--optimizer", "adam", "--lr-sweep", "0.001:0.1:2", "--seeds", "2", "--seed", "10", "--png",
                folder.resolve("runs.png").toString(), "--json");
        assertEquals(0, together.exitCode(), together.err());
        assertTrue(Files.size(folder.resolve("runs.png")) > 10_000);
        JsonNode runs = Json.MAPPER.readTree(together.out()).get("runs");
        assertEquals(4, runs.size());
        JsonNode third = runs.get(2);
        assertEquals(10, third.get("seed").asInt());
        assertEquals(0.1, third.get("lr").asDouble(), 1e-12);
        Cli alone = Cli.run("train", "--backend", "cpu", "--model", "relu:5", "--lags", "2", "--epochs", "4", "--batch",
                "200", "--optimizer", "adam", "--lr", "0.1", "--seed", "10", "--json");
        JsonNode single = Json.MAPPER.readTree(alone.out());
        assertEquals(single.get("train_loss").asDouble(), third.get("train_loss").asDouble(), 0);
        assertEquals(single.get("test_loss").asDouble(), third.get("test_loss").asDouble(), 0);
        assertEquals(single.get("steps").asInt(), third.get("steps").asInt());
        Cli refused = Cli.run("train", "--backend", "cpu", "--model", "relu:5", "--seeds", "2", "--save-params",
                folder.resolve("p.json").toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("--save-params writes one network's files; --seeds trains several"),
                refused.err());
        assertEquals(2, Cli.run("train", "--backend", "cpu", "--model", "relu:5", "--seeds", "0").exitCode());
    }

    @Test
    void theLinearModelSavesTheSameFileWithNoHiddenLayer() throws IOException {
        Path params = folder.resolve("linear.json");
        Cli cli = Cli.run("train", "--backend", "cpu", "--loss", "mse", "--lags", "2", "--save-params", params.toString(),
                "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode model = Json.MAPPER.readTree(params.toFile());
        assertEquals("linear", model.get("model").asText());
        assertEquals("none", model.get("activation").asText());
        assertTrue(model.get("scale").isNull());
        JsonNode params0 = Json.MAPPER.readTree(cli.out()).get("params");
        assertEquals(params0.get("b").asDouble(), model.get("layers").get(0).get("b").get(0).asDouble(), 0);
        assertEquals(params0.get("w").get(1).asDouble(), model.get("layers").get(0).get("W").get(0).get(1).asDouble(), 0);
        Cli predict = Cli.run("predict", "--params", params.toString(), "--json");
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals("mse", Json.MAPPER.readTree(predict.out()).get("loss").asText());
    }

    @Test
    void divergenceExitsWithFiveAndSavesNoParameters() throws IOException {
        Path params = folder.resolve("p.json");
        Path history = folder.resolve("h.csv");
        Cli cli = Cli.run("train", "--backend", "cpu", "--model", "relu:4", "--epochs", "5", "--lr", "1e7",
                "--save-params", params.toString(), "--history", history.toString());
        assertEquals(5, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains("training diverged in epoch 1 with learning rate 1e7"), cli.err());
        assertTrue(cli.err().contains("--save-params was not written"), cli.err());
        assertFalse(Files.exists(params));
        assertTrue(Files.readAllLines(history).size() >= 3);
    }

    @Test
    void badInputExitsWithTwoAndLeavesNoFile() throws IOException {
        Path saved = folder.resolve("seven.json");
        assertEquals(0, Cli.run("train", "--backend", "cpu", "--model", "relu:2", "--lags", "7", "--epochs", "1",
                "--save-params", saved.toString()).exitCode());
        String good = Files.readString(saved);
        Path nan = write("nan.json", good.replaceFirst("\\[\\[[-0-9.Ee]+", "[[NaN"));
        Path shapes = write("shapes.json", good.replaceFirst("\"b\":\\[[-0-9.Ee]+,", "\"b\":["));
        Path out = folder.resolve("out.png");
        Path params = folder.resolve("p.json");
        List<String[]> runs = List.of(
                new String[] {"train", "--backend", "cpu", "--model", "relu:0", "--save-params", params.toString(), "--png", out.toString()},
                new String[] {"train", "--backend", "cpu", "--model", "relu:10x0", "--save-params", params.toString()},
                new String[] {"train", "--backend", "cpu", "--model", "tanh:3", "--save-params", params.toString()},
                new String[] {"train", "--backend", "cpu", "--model", "relu:3", "--batch", "0", "--save-params", params.toString()},
                new String[] {"train", "--backend", "cpu", "--model", "relu:3", "--epochs", "0", "--save-params", params.toString()},
                new String[] {"train", "--backend", "cpu", "--epochs", "5", "--png", out.toString()},
                new String[] {"train", "--backend", "cpu", "--model", "relu:3", "--gif", folder.resolve("a.gif").toString()},
                new String[] {"predict", "--params", saved.toString(), "--lags", "1", "--png", out.toString()},
                new String[] {"predict", "--params", nan.toString(), "--png", out.toString()},
                new String[] {"predict", "--params", shapes.toString(), "--png", out.toString()},
                new String[] {"predict", "--params", saved.toString(), "--init", "b=1", "--png", out.toString()});
        String[] expected = {"--model: relu needs 1..100000 units", "--model: relu needs 1..100000 units",
            "--model: unknown model 'tanh:3'", "--batch must be at least 1", "--epochs must be 1..", "--epochs applies to networks",
            "--gif applies to the linear model", "holds a model of 7 lags, but the data have 1 (--lags)",
            "layers[0].W[0][0] must be finite", "layers[0].b must be an array of 2 numbers", "--init and --params"};
        for (int r = 0; r < runs.size(); r++) {
            Cli cli = Cli.run(runs.get(r));
            assertEquals(2, cli.exitCode(), String.join(" ", runs.get(r)) + ": " + cli.err());
            assertTrue(cli.err().contains(expected[r]), cli.err());
            try (Stream<Path> files = Files.list(folder)) {
                assertArrayEquals(new String[] {"nan.json", "seven.json", "shapes.json"},
                        files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new), String.join(" ", runs.get(r)));
            }
        }
    }

    @Test
    void aHuberModelKeepsItsDeltaSoPredictReproducesTraining() throws IOException {
        Path params = folder.resolve("huber.json");
        Cli train = Cli.run("train", "--backend", "cpu", "--model", "relu:3", "--lags", "2", "--epochs", "3", "--loss",
                "huber", "--delta", "100", "--save-params", params.toString(), "--json");
        assertEquals(0, train.exitCode(), train.err());
        assertEquals(100, Json.MAPPER.readTree(Files.readString(params)).get("delta").asDouble());
        Cli predict = Cli.run("predict", "--params", params.toString(), "--json");
        assertEquals(0, predict.exitCode(), predict.err());
        double trained = Json.MAPPER.readTree(train.out()).get("test_loss").asDouble();
        double predicted = Json.MAPPER.readTree(predict.out()).get("test_loss").asDouble();
        assertEquals(trained, predicted, 1e-9 * trained, predict.out());
    }

    @Test
    void hostileParamsFilesAndLinearOnlyOptionsAreExitTwo() throws IOException {
        Path saved = folder.resolve("two.json");
        assertEquals(0, Cli.run("train", "--backend", "cpu", "--model", "relu:2", "--epochs", "1", "--save-params",
                saved.toString()).exitCode());
        String good = Files.readString(saved);
        Path deep = write("deep.json", "[".repeat(3000) + "]".repeat(3000));
        Path trailing = write("trailing.json", good.trim() + " {}");
        Path twice = write("twice.json", good.replaceFirst("\\{", "{\"lags\":1,"));
        Path delta = write("delta.json", good.replaceFirst("\"loss\":\"mae\"", "\"loss\":\"mae\",\"delta\":3"));
        String[][] runs = {{"predict", "--params", deep.toString()}, {"predict", "--params", trailing.toString()},
            {"predict", "--params", twice.toString()}, {"predict", "--params", delta.toString()},
            {"train", "--model", "relu:2", "--epochs", "1", "--steps", "5"},
            {"train", "--model", "relu:2", "--epochs", "1", "--schedule", "constant"},
            {"models", "--only", "linear,sigmoid:10", "--lr", "-1"}};
        String[] expected = {"is not valid JSON", "is not valid JSON", "is not valid JSON", "only a huber model",
            "--steps applies to the linear model", "--schedule applies to the linear model", "--lr"};
        for (int r = 0; r < runs.length; r++) {
            Cli cli = Cli.run(runs[r]);
            assertEquals(2, cli.exitCode(), String.join(" ", runs[r]) + ": " + cli.err());
            assertTrue(cli.err().contains(expected[r]), cli.err());
            assertEquals("", cli.out(), "nothing on stdout before a bad setting is found: " + cli.out());
        }
    }

    private Path write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
