package org.lossgrid.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.model.Params;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.SurfaceResult;

/** The JSON summaries of DESIGN.md section 5. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode backend(ObjectNode node, String backend, DeviceInfo device) {
        node.put("backend", backend);
        ObjectNode d = node.putObject("device");
        d.put("name", device.name());
        d.put("compute_units", device.computeUnits());
        d.put("memory_bytes", device.memoryBytes());
        d.put("details", device.details());
        return node;
    }

    /** grid, argmin, seconds and evals_per_second of a surface. */
    static ObjectNode surface(ObjectNode node, SurfaceResult result) {
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

    static void params(ObjectNode node, Params params) {
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

    static String text(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path target, ObjectNode node) {
        AtomicOutput.write(target, bytes(node));
    }

    /** The object as a file's content: indented JSON and a final newline, UTF-8. */
    static byte[] bytes(ObjectNode node) {
        return (text(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
