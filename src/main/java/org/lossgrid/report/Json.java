package org.lossgrid.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Lesson;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.Trained;
import org.lossgrid.api.TrainedNetwork;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.SurfaceResult;
import org.lossgrid.train.NetworkConfig;
import org.lossgrid.train.NetworkTrainer;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.train.TrainResult;

/**
 * The JSON summaries of DESIGN.md section 5, shared by the adapters (the CLI's {@code --json} and the
 * server's API), so that one page of docs serves both.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ObjectNode backend(ObjectNode node, String backend, DeviceInfo device) {
        node.put("backend", backend);
        ObjectNode d = node.putObject("device");
        d.put("name", device.name());
        d.put("compute_units", device.computeUnits());
        d.put("memory_bytes", device.memoryBytes());
        d.put("details", device.details());
        return node;
    }

    /** grid, argmin, seconds and evals_per_second of a surface. */
    public static ObjectNode surface(ObjectNode node, SurfaceResult result) {
        node.put("method", result.method());
        ObjectNode grid = node.putObject("grid");
        axis(grid.putObject("w"), result.grid().horizontal());
        axis(grid.putObject("b"), result.grid().vertical());
        grid.putArray("axes").add(result.slice().horizontalName()).add(result.slice().verticalName());
        ObjectNode held = node.putObject("held");
        result.slice().held().forEach(held::put);
        ObjectNode argmin = node.putObject("argmin");
        argmin.put("w", result.argmin().u());
        argmin.put("b", result.argmin().v());
        argmin.put("loss", result.argmin().loss());
        node.put("samples", result.samples());
        node.put("non_finite", result.nonFinite());
        node.put("seconds", result.seconds());
        node.put("compute_seconds", result.computeSeconds());
        node.put("evals_per_second", result.evalsPerSecond());
        return node;
    }

    /** The keys of {@code curve --json}: the parameter, the held ones, the tangent and the minimum on the curve. */
    public static ObjectNode curve(Lossgrid lg, Loss loss, Lesson.Curve curve) {
        ObjectNode node = backend(object(), lg.backendName(), lg.device());
        node.put("loss", loss.name());
        loss.parameters().forEach(node::put);
        node.put("param", curve.parameter());
        ObjectNode held = node.putObject("held");
        int index = ParamName.parse(curve.parameter(), curve.held().features(), "param");
        for (int p = 0; p <= curve.held().features(); p++) {
            if (p != index) {
                held.put(ParamName.of(p), curve.held().get(p));
            }
        }
        node.put("w0", curve.w0());
        node.put("loss_at_w0", curve.lossAtW0());
        node.put("slope", curve.slope());
        node.putObject("minimum").put(curve.parameter(), curve.minimumAt()).put("loss", curve.minimum());
        return node;
    }

    /** The keys of {@code predict --json}: the data, the loss, where the parameters came from, and L' on the test days. */
    public static ObjectNode predictions(String data, Loss loss, boolean fromInit, Params params,
            Lesson.Predictions predictions) {
        ObjectNode node = object();
        node.put("data", data);
        node.put("loss", loss.name());
        loss.parameters().forEach(node::put);
        node.put("parameters", fromInit ? "init" : "exact optimum");
        params(node.putObject("params"), params);
        node.put("test_days", predictions.truth().length);
        node.put("first", predictions.first().toString());
        node.put("test_loss", predictions.testLoss());
        return node;
    }

    /** The keys of {@code predict --params F --json}: the data, the loss, the saved model, and L' on the test days. */
    public static ObjectNode predictions(String data, Loss loss, String paramsFile, NetworkModel model,
            Lesson.Predictions predictions) {
        ObjectNode node = object();
        node.put("data", data);
        node.put("loss", loss.name());
        loss.parameters().forEach(node::put);
        node.put("parameters", "params file");
        node.put("params_file", paramsFile);
        node.put("model", model.network().spec().toString());
        node.put("lags", model.network().inputs());
        node.put("scaled", model.scale() != null);
        node.put("test_days", predictions.truth().length);
        node.put("first", predictions.first().toString());
        node.put("test_loss", predictions.testLoss());
        return node;
    }

    public static void params(ObjectNode node, Params params) {
        node.put("b", params.b());
        var w = node.putArray("w");
        for (double v : params.w()) {
            w.add(v);
        }
    }

    private static void axis(ObjectNode node, Axis axis) {
        node.put("min", axis.min());
        node.put("max", axis.max());
        node.put("n", axis.n());
    }

    public static String text(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The object on one line, for the wire. */
    public static String compact(ObjectNode node) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path target, ObjectNode node) {
        AtomicOutput.write(target, bytes(node));
    }

    /** The object as a file's content: indented JSON and a final newline, UTF-8. */
    public static byte[] bytes(ObjectNode node) {
        return (text(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The summary of a network's training run, the keys of {@code train --model ... --json}: the model, its
     * settings, train_loss and test_loss of exactly the saved parameters, and the losses after each epoch.
     */
    public static ObjectNode network(Lossgrid lg, TrainedNetwork run) {
        NetworkConfig config = run.config();
        NetworkTrainer.Result result = run.result();
        ObjectNode summary = backend(object(), lg.backendName(), lg.device());
        summary.put("model", config.model().toString());
        summary.put("lags", run.model().network().inputs());
        summary.put("parameters", run.model().network().parameterCount());
        summary.put("loss", config.loss().name());
        config.loss().parameters().forEach(summary::put);
        summary.put("optimizer", config.optimizer().cliName());
        summary.put("lr", run.run().learningRate());
        summary.put("scale", config.standardize() ? "standardize" : "none");
        summary.put("epochs", result.history().size() - 1);
        summary.put("batch", config.batchOf(lg.data().train().n()));
        summary.put("seed", run.run().seed());
        summary.put("steps", result.steps());
        summary.put("train_loss", run.trainLoss());
        if (Double.isNaN(run.testLoss())) {
            summary.putNull("test_loss");
        } else {
            summary.put("test_loss", run.testLoss());
        }
        summary.put("diverged", result.diverged());
        var history = summary.putArray("history");
        for (NetworkTrainer.Epoch epoch : result.history()) {
            ObjectNode row = history.addObject();
            row.put("epoch", epoch.epoch());
            row.put("train_loss", epoch.trainLoss());
            row.put("test_loss", epoch.testLoss());
        }
        summary.put("seconds", result.seconds());
        summary.put("seconds_per_step", result.seconds() / Math.max(1, result.steps()));
        return summary;
    }

    /** The summary of one training run: the keys of {@code train --json}. */
    public static ObjectNode training(Lossgrid lg, Trained run) {
        TrainConfig config = run.config();
        TrainResult result = run.result();
        ObjectNode summary = backend(object(), lg.backendName(), lg.device());
        summary.put("loss", config.loss().name());
        config.loss().parameters().forEach(summary::put);
        summary.put("optimizer", config.optimizer().cliName());
        summary.put("lr", config.learningRate());
        summary.put("schedule", config.schedule().cliName());
        summary.put("scale", config.standardize() ? "standardize" : "none");
        params(summary.putObject("params"), result.params());
        double trainLoss = lg.trainLoss(config.loss(), result.params());
        summary.put("train_loss", trainLoss);
        if (lg.data().test().n() > 0) {
            summary.put("test_loss", lg.testLoss(config.loss(), result.params()));
        } else {
            summary.putNull("test_loss");
        }
        summary.put("steps", result.steps());
        summary.put("converged", result.converged());
        summary.put("diverged", result.diverged());
        summary.put("gradient_norm", result.gradientNorm());
        ObjectNode exact = summary.putObject("optimum");
        params(exact, run.optimum().params());
        exact.put("loss", run.optimum().loss());
        summary.put("gap", trainLoss - run.optimum().loss());
        summary.put("relative_gap", (trainLoss - run.optimum().loss()) / run.optimum().loss());
        summary.put("trajectory_every", config.trajectoryEvery());
        summary.put("seconds", result.seconds());
        summary.put("seconds_per_step", result.seconds() / Math.max(1, result.steps()));
        return summary;
    }
}
