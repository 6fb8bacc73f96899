package org.lossgrid.cli;

import java.util.ArrayList;
import java.util.List;

import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.util.Bytes;

import picocli.CommandLine.Option;

/** The grid, slice and memory options shared by every command that draws or computes a surface. */
final class SurfaceOptions {
    /** The --at keyword for the exact optimum's values. */
    static final String OPTIMUM = "optimum";

    @Option(names = "--w", paramLabel = "MIN:MAX:N")
    String w;

    @Option(names = "--b", paramLabel = "MIN:MAX:N")
    String b;

    @Option(names = "--axes", paramLabel = "H,V", defaultValue = "w1,b")
    String axes;

    @Option(names = "--at", paramLabel = "NAME=VALUE,...")
    String at;

    @Option(names = "--max-memory", paramLabel = "SIZE")
    String maxMemory;

    /** The request these flags describe, for {@code loss} by {@code method}, with {@code features} weights. */
    SurfaceRequest.Builder request(Loss loss, SurfaceMethod method, int features) {
        String[] names = axes.split(",");
        if (names.length != 2) {
            throw LossgridException.badInput(LossgridException.param("axes")
                    + ": expected two parameter names such as w1,b, got '" + axes + "'");
        }
        SurfaceRequest.Builder request = SurfaceRequest.of(loss).method(method).axes(names[0].strip(), names[1].strip())
                .grid(w == null ? null : Axis.parse(w, "w"), b == null ? null : Axis.parse(b, "b"));
        List<String> pairs = new ArrayList<>();
        for (String part : at == null ? new String[0] : at.split(",")) {
            if (part.strip().equals(OPTIMUM)) {
                request.holdAtOptimum();
            } else if (part.contains("=")) {
                pairs.add(part);
            } else if (!part.isBlank()) {
                throw LossgridException.badInput(LossgridException.param("at") + ": expected NAME=VALUE or '" + OPTIMUM
                        + "', got '" + part.strip() + "'");
            }
        }
        ParamName.parseAssignments(String.join(",", pairs), features, "at")
                .forEach((index, value) -> request.hold(ParamName.of(index), value));
        if (maxMemory != null) {
            request.memoryBudget(Bytes.parse(maxMemory, "max-memory"));
        }
        return request;
    }

    /** Whether --at was left out, so a model with several features holds the others at 0. */
    boolean atDefault() {
        return at == null;
    }
}
