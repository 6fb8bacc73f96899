package org.lossgrid.cli;


import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.loss.Loss;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.util.Bytes;

import picocli.CommandLine.Option;

/** The grid, slice and memory options shared by every command that draws or computes a surface. */
final class SurfaceOptions {
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
        SurfaceRequest.Builder request = SurfaceRequest.parse(loss, method, features, axes, w, b, at);
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
