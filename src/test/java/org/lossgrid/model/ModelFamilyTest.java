package org.lossgrid.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lossgrid.error.LossgridException;

/** The model family: specs, the flat layout and names, the seeded initialisation, and the params file. */
class ModelFamilyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"linear, NONE, 0, 0, linear", "sigmoid:10, SIGMOID, 10, 1, sigmoid:10", "relu:100, RELU, 100, 1, relu:100",
        "RELU:100x2, RELU, 100, 2, relu:100x2", "sigmoid:3x2, SIGMOID, 3, 2, sigmoid:3x2", "relu:1x1, RELU, 1, 1, relu:1"})
    void specsParse(String text, ModelSpec.Activation activation, int width, int depth, String canonical) {
        ModelSpec spec = ModelSpec.parse(text);
        assertEquals(new ModelSpec(activation, width, depth), spec);
        assertEquals(canonical, spec.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu:0", "relu:10x0", "tanh:3", "relu:", "relu:x2", "linear:3", "none:3", "relu:-1",
        "relu:100001", "relu:10x65", "relu:99999999999", "", "sigmoid:3x"})
    void badSpecsAreBadInputNamingTheModel(String text) {
        LossgridException e = assertThrows(LossgridException.class, () -> ModelSpec.parse(text));
        assertEquals(LossgridException.Kind.BAD_INPUT, e.kind());
        assertEquals("model", e.parameter());
    }

    @Test
    void theLayoutPutsEachLayersWeightsRowByRowThenItsBiases() {
        Network network = new Network(ModelSpec.parse("relu:10"), 3);
        assertEquals(2, network.layers());
        assertEquals(10 * 3 + 10 + 10 + 1, network.parameterCount());
        assertEquals("W1[0,0]", network.name(0));
        assertEquals("W1[1,0]", network.name(3));
        assertEquals("b1[0]", network.name(30));
        assertEquals("W2[0,9]", network.name(49));
        assertEquals("b2[0]", network.name(50));
        for (int p = 0; p < network.parameterCount(); p++) {
            assertEquals(p, network.index(network.name(p), "at"));
        }
        LossgridException e = assertThrows(LossgridException.class, () -> network.index("W3[0,0]", "at"));
        assertEquals("at", e.parameter());
        assertTrue(e.getMessage().contains("W2[i,j] (1 x 10), b2[0]"), e.getMessage());
    }

    @Test
    void theLinearModelKeepsItsNames() {
        Network linear = new Network(ModelSpec.LINEAR, 2);
        assertEquals("w1", linear.name(0));
        assertEquals("w2", linear.name(1));
        assertEquals("b", linear.name(2));
        assertEquals(2, linear.index("b", "at"));
        assertEquals(0, linear.index("w", "at"));
    }

    @Test
    void initialisationIsSeededHeForReluXavierForSigmoid() {
        Network relu = new Network(ModelSpec.parse("relu:2000"), 50);
        assertArrayEquals(relu.initial(7), relu.initial(7));
        assertTrue(relu.initial(7)[0] != relu.initial(8)[0]);
        assertEquals(Math.sqrt(2.0 / 50), sd(relu.initial(7), 0, 2000 * 50), 0.02 * Math.sqrt(2.0 / 50));
        Network sigmoid = new Network(ModelSpec.parse("sigmoid:2000"), 50);
        assertEquals(Math.sqrt(2.0 / 2050), sd(sigmoid.initial(7), 0, 2000 * 50), 0.02 * Math.sqrt(2.0 / 2050));
        double[] theta = relu.initial(7);
        for (int o = 0; o < 2000; o++) {
            assertEquals(0, theta[relu.biasOffset(1) + o]);
        }
    }

    private static double sd(double[] v, int from, int to) {
        double ss = 0;
        for (int i = from; i < to; i++) {
            ss += v[i] * v[i];
        }
        return Math.sqrt(ss / (to - from));
    }

    @Test
    void predictionFollowsTheFormula() {
        Network network = new Network(ModelSpec.parse("relu:2"), 1);
        double[] theta = {1, -1, 0.5, 0.25, 2, 3, 10};
        NetworkModel model = new NetworkModel(network, "mae", new Scale(new double[] {100}, new double[] {10}, 1000, 50),
                theta);
        double h0 = (120 - 100) / 10.0;
        double h1 = Math.max(0, 1 * h0 + 0.5);
        double h2 = Math.max(0, -1 * h0 + 0.25);
        assertEquals(1000 + 50 * (2 * h1 + 3 * h2 + 10), model.predict(new double[] {120}), 1e-12);
    }

    @Test
    void paramsFilesRoundTripExactly() throws Exception {
        Network network = new Network(ModelSpec.parse("sigmoid:3x2"), 4);
        NetworkModel model = new NetworkModel(network, "mse",
                new Scale(new double[] {1, 2, 3, 4}, new double[] {0.5, 1, 1.5, 2}, 3800.25, 1234.5), network.initial(3));
        Path file = write("model.json", new String(ParamsFile.json(model), StandardCharsets.UTF_8));
        NetworkModel back = ParamsFile.read(file, 4);
        assertArrayEquals(model.theta(), back.theta());
        assertArrayEquals(model.scale().xSd(), back.scale().xSd());
        assertEquals(model.scale().ySd(), back.scale().ySd());
        assertEquals("mse", back.loss());
        assertEquals(network.spec(), back.network().spec());
        String text = Files.readString(file);
        assertTrue(text.startsWith("{\"model\":\"sigmoid:3x2\",\"activation\":\"sigmoid\",\"lags\":4,\"loss\":\"mse\","
                + "\"scale\":{\"x_mean\":[1.0,2.0,3.0,4.0],\"x_sd\":[0.5,1.0,1.5,2.0],\"y_mean\":3800.25,\"y_sd\":1234.5},"
                + "\"layers\":[{\"W\":[["), text);
    }

    @Test
    void theLinearModelIsTheSameFileWithNoHiddenLayer() throws Exception {
        Path file = write("linear.json", "{\"model\": \"linear\", \"activation\": \"none\", \"lags\": 2, \"loss\": \"mae\", "
                + "\"scale\": null, \"layers\": [{\"W\": [[0.5, 0.25]], \"b\": [100]}]}");
        NetworkModel model = ParamsFile.read(file, null);
        assertEquals(null, model.scale());
        assertEquals(100 + 0.5 * 10 + 0.25 * 20, model.predict(new double[] {10, 20}), 1e-12);
    }

    @Test
    void aLinearFitBecomesTheSingleLayerModel() {
        NetworkModel model = NetworkModel.linear(new Params(100, new double[] {0.5, 0.25}), "mae", null);
        assertEquals(new Params(100, new double[] {0.5, 0.25}).predict(new double[] {10, 20}),
                model.predict(new double[] {10, 20}), 1e-12);
        assertEquals(2, model.network().index("b", "at"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"model\": \"relu:2\", \"activation\": \"relu\", \"lags\": 1, \"loss\": \"mae\", \"scale\": null, \"layers\": "
            + "[{\"W\": [[1], [2], [3]], \"b\": [0, 0]}, {\"W\": [[1, 1]], \"b\": [0]}]}|layers[0].W must have 2 rows",
        "{\"model\": \"relu:2\", \"activation\": \"relu\", \"lags\": 1, \"loss\": \"mae\", \"scale\": null, \"layers\": "
            + "[{\"W\": [[1], [2]], \"b\": [0, 0]}, {\"W\": [[1, NaN]], \"b\": [0]}]}|layers[1].W[0][1] must be finite",
        "{\"model\": \"relu:2\", \"activation\": \"relu\", \"lags\": 1, \"loss\": \"mae\", \"scale\": null, \"layers\": "
            + "[{\"W\": [[1], [2]], \"b\": [0, 0]}]}|\"layers\" must be an array of 2 layers",
        "{\"model\": \"relu:2\", \"activation\": \"relu\", \"lags\": 1, \"loss\": \"mae\", \"scale\": null, \"layers\": "
            + "[{\"W\": [[1, 3], [2, 4]], \"b\": [0, 0]}, {\"W\": [[1, 1]], \"b\": [0]}]}|layers[0].W[0] must be an array of 1 numbers",
        "{\"model\": \"tanh:2\", \"activation\": \"relu\", \"lags\": 1, \"loss\": \"mae\", \"scale\": null, \"layers\": []}"
            + "|\"model\": model: unknown model 'tanh:2'",
        "{\"model\": \"relu:2\", \"activation\": \"sigmoid\", \"lags\": 1, \"loss\": \"mae\", \"scale\": null, \"layers\": []}"
            + "|\"activation\" is \"sigmoid\", but a relu:2 model has \"relu\"",
        "{\"model\": \"relu:2\", \"activation\": \"relu\", \"lags\": 1, \"loss\": \"mae\", \"scale\": {\"x_mean\": [0], "
            + "\"x_sd\": [0], \"y_mean\": 0, \"y_sd\": 1}, \"layers\": []}|scale.x_sd[0] must be positive",
        "{\"model\": \"relu:2\", \"lags\": 1}|has no \"activation\"",
        "{\"model\": \"relu:2\", \"activation\": \"relu\", \"lags\": 1, \"loss\": \"mae\", \"scale\": null, \"extra\": 1}"
            + "|unknown key \"extra\"",
        "[1, 2]|must hold one JSON object",
        "{\"model\": |is not valid JSON at line 1",
    })
    void badFilesAreBadInputNamingTheFileAndThePlace(String json, String expected) throws Exception {
        Path file = write("bad.json", json);
        LossgridException e = assertThrows(LossgridException.class, () -> ParamsFile.read(file, null));
        assertEquals(LossgridException.Kind.BAD_INPUT, e.kind());
        assertEquals("params", e.parameter());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aFileForAnotherLagCountIsRefusedNamingBoth() throws Exception {
        Network network = new Network(ModelSpec.parse("relu:3"), 7);
        Path file = write("seven.json", new String(ParamsFile.json(new NetworkModel(network, "mae", null,
                network.initial(1))), StandardCharsets.UTF_8));
        LossgridException e = assertThrows(LossgridException.class, () -> ParamsFile.read(file, 1));
        assertEquals(LossgridException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("holds a model of 7 lags, but the data have 1 (lags)"), e.getMessage());
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
