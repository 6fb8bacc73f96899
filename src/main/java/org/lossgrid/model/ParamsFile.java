package org.lossgrid.model;

import static org.lossgrid.error.LossgridException.param;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.error.LossgridException;

/**
 * The params file of a trained model (issue 17), in exactly this shape:
 *
 * <pre>{@code
 * {"model": "relu:100x2", "activation": "relu", "lags": 56, "loss": "mae",
 *  "scale": {"x_mean": [..k], "x_sd": [..k], "y_mean": m, "y_sd": s},
 *  "layers": [{"W": [[..]], "b": [..]}, ..., {"W": [[..]], "b": [b]}]}
 * }</pre>
 *
 * {@code W_l} is {@code out x in}, {@code "scale": null} means no scaling, and the linear model has the
 * single output layer (activation {@code none}). Reading checks everything and names the file and the
 * place in every message; the parameter that names the file is {@code params}.
 */
public final class ParamsFile {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> KEYS = Set.of("model", "activation", "lags", "loss", "delta", "scale", "layers");
    private static final Set<String> SCALE_KEYS = Set.of("x_mean", "x_sd", "y_mean", "y_sd");
    private static final Set<String> LAYER_KEYS = Set.of("W", "b");

    private ParamsFile() {
    }

    /** The file's bytes: one JSON object, keys in the order above, numbers as Java writes doubles (exact round trip). */
    public static byte[] json(NetworkModel model) {
        Network network = model.network();
        double[] theta = model.theta();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", network.spec().toString());
        root.put("activation", network.spec().activation().label());
        root.put("lags", network.inputs());
        root.put("loss", model.loss());
        if (model.delta() != null) {
            root.put("delta", model.delta());
        }
        if (model.scale() == null) {
            root.putNull("scale");
        } else {
            ObjectNode scale = root.putObject("scale");
            numbers(scale.putArray("x_mean"), model.scale().xMean());
            numbers(scale.putArray("x_sd"), model.scale().xSd());
            scale.put("y_mean", model.scale().yMean());
            scale.put("y_sd", model.scale().ySd());
        }
        ArrayNode layers = root.putArray("layers");
        for (int l = 1; l <= network.layers(); l++) {
            ObjectNode layer = layers.addObject();
            ArrayNode w = layer.putArray("W");
            int in = network.size(l - 1);
            for (int o = 0; o < network.size(l); o++) {
                ArrayNode row = w.addArray();
                for (int i = 0; i < in; i++) {
                    row.add(theta[network.weightOffset(l) + o * in + i]);
                }
            }
            ArrayNode b = layer.putArray("b");
            for (int o = 0; o < network.size(l); o++) {
                b.add(theta[network.biasOffset(l) + o]);
            }
        }
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serialises", e);
        }
    }

    private static void numbers(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    /** Reads and checks {@code file}; {@code lags}, when not null, is the lag count the caller's data have. */
    public static NetworkModel read(Path file, Integer lags) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw bad(file, "does not exist");
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().replaceAll("\\s*\\(start marker at .*", "");
            throw bad(file, e.getLocation() == null ? "is not valid JSON: " + why
                    : "is not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + why);
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "must hold one JSON object with the keys " + String.join(", ", List.of("model", "activation",
                    "lags", "loss", "scale", "layers")));
        }
        keys(file, root, KEYS, "");
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(text(file, root, "model"));
        } catch (LossgridException e) {
            throw bad(file, "\"model\": " + e.getMessage());
        }
        String activation = text(file, root, "activation");
        if (!activation.equals(spec.activation().label())) {
            throw bad(file, "\"activation\" is \"" + activation + "\", but a " + spec + " model has \""
                    + spec.activation().label() + "\"");
        }
        JsonNode lagNode = required(file, root, "lags");
        if (!lagNode.canConvertToInt() || !lagNode.isIntegralNumber() || lagNode.intValue() < 1) {
            throw bad(file, "\"lags\" must be a whole number of at least 1, got " + lagNode);
        }
        int k = lagNode.intValue();
        if (lags != null && lags != k) {
            throw LossgridException.badInput(param("params") + " " + file + " holds a model of " + k + " lags, but the data "
                    + "have " + lags + " (" + param("lags") + "); give " + param("lags") + " " + k + " or another model");
        }
        String loss = text(file, root, "loss");
        Network network;
        try {
            network = new Network(spec, k);
        } catch (LossgridException e) {
            throw bad(file, e.getMessage());
        }
        Scale scale = scale(file, required(file, root, "scale"), k);
        return new NetworkModel(network, loss, delta(file, root, loss), scale, layers(file, required(file, root, "layers"),
                network));
    }

    /** Huber's delta, which a huber model's file must hold (a positive number) and no other may */
    private static Double delta(Path file, JsonNode root, String loss) {
        JsonNode delta = root.get("delta");
        if (!loss.equals("huber")) {
            if (delta != null) {
                throw bad(file, "has \"delta\", which only a huber model has; this one's loss is \"" + loss + "\"");
            }
            return null;
        }
        if (delta == null || !delta.isNumber() || !(delta.doubleValue() > 0) || !Double.isFinite(delta.doubleValue())) {
            throw bad(file, "a huber model needs \"delta\", a positive number, got " + delta);
        }
        return delta.doubleValue();
    }

    private static Scale scale(Path file, JsonNode node, int k) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw bad(file, "\"scale\" must be null or an object with x_mean, x_sd, y_mean and y_sd");
        }
        keys(file, node, SCALE_KEYS, "scale.");
        double[] mean = vector(file, required(file, node, "x_mean"), k, "scale.x_mean");
        double[] sd = vector(file, required(file, node, "x_sd"), k, "scale.x_sd");
        double yMean = number(file, required(file, node, "y_mean"), "scale.y_mean");
        double ySd = number(file, required(file, node, "y_sd"), "scale.y_sd");
        for (int j = 0; j < k; j++) {
            if (!(sd[j] > 0)) {
                throw bad(file, "scale.x_sd[" + j + "] must be positive, got " + sd[j]);
            }
        }
        if (!(ySd > 0)) {
            throw bad(file, "scale.y_sd must be positive, got " + ySd);
        }
        return new Scale(mean, sd, yMean, ySd);
    }

    private static double[] layers(Path file, JsonNode node, Network network) {
        if (!node.isArray() || node.size() != network.layers()) {
            throw bad(file, "\"layers\" must be an array of " + network.layers() + " layers for " + network.spec()
                    + ", got " + (node.isArray() ? node.size() + " layers" : node.getNodeType().toString().toLowerCase()));
        }
        double[] theta = new double[network.parameterCount()];
        for (int l = 1; l <= network.layers(); l++) {
            JsonNode layer = node.get(l - 1);
            String where = "layers[" + (l - 1) + "]";
            if (!layer.isObject()) {
                throw bad(file, where + " must be an object {\"W\": [[..]], \"b\": [..]}");
            }
            keys(file, layer, LAYER_KEYS, where + ".");
            int in = network.size(l - 1);
            int out = network.size(l);
            JsonNode w = required(file, layer, "W");
            if (!w.isArray() || w.size() != out) {
                throw bad(file, where + ".W must have " + out + " rows (" + out + " x " + in + " for " + network.spec()
                        + " on " + network.inputs() + " lags), got " + (w.isArray() ? w.size() + " rows" : "no array"));
            }
            for (int o = 0; o < out; o++) {
                double[] row = vector(file, w.get(o), in, where + ".W[" + o + "]");
                System.arraycopy(row, 0, theta, network.weightOffset(l) + o * in, in);
            }
            double[] b = vector(file, required(file, layer, "b"), out, where + ".b");
            System.arraycopy(b, 0, theta, network.biasOffset(l), out);
        }
        return theta;
    }

    private static double[] vector(Path file, JsonNode node, int size, String where) {
        if (!node.isArray() || node.size() != size) {
            throw bad(file, where + " must be an array of " + size + " numbers, got "
                    + (node.isArray() ? node.size() + " values" : node.getNodeType().toString().toLowerCase()));
        }
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = number(file, node.get(i), where + "[" + i + "]");
        }
        return values;
    }

    private static double number(Path file, JsonNode node, String where) {
        if (!node.isNumber()) {
            throw bad(file, where + " must be a number, got " + node);
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw bad(file, where + " must be finite, got " + value);
        }
        return value;
    }

    private static String text(Path file, JsonNode root, String key) {
        JsonNode node = required(file, root, key);
        if (!node.isTextual()) {
            throw bad(file, "\"" + key + "\" must be a string, got " + node);
        }
        return node.textValue().trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static JsonNode required(Path file, JsonNode object, String key) {
        JsonNode node = object.get(key);
        if (node == null) {
            throw bad(file, "has no \"" + key + "\"");
        }
        return node;
    }

    private static void keys(Path file, JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw bad(file, "unknown key \"" + prefix + name + "\"; a params file has " + String.join(", ",
                        known.stream().sorted().toList()));
            }
        }
    }

    private static LossgridException bad(Path file, String what) {
        return LossgridException.badInput(param("params") + " " + file + ": " + what);
    }
}
