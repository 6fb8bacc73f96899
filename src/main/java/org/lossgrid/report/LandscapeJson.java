package org.lossgrid.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.LandscapeResult;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.loss.Loss;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.LocalMinima;
import org.lossgrid.surface.SurfaceResult;

/**
 * The JSON summary of a loss landscape: backend and device, model, loss, directions, grid
 * {alpha, beta}, the loss at the centre theta*, the grid's lowest point, the local minima (count and the
 * lowest ones), for pca the variance explained and the projected trajectory, seconds and evaluations per
 * second (grid points times samples over the computing seconds).
 */
public final class LandscapeJson {
    private LandscapeJson() {
    }

    public static ObjectNode summary(Lossgrid lg, Loss loss, String source, LandscapeResult result) {
        ObjectNode node = Json.backend(Json.object(), lg.backendName(), lg.device());
        node.put("model", result.model().network().spec().toString());
        node.put("lags", result.model().network().inputs());
        node.put("parameters", result.model().network().parameterCount());
        node.put("source", source);
        node.put("loss", loss.name());
        loss.parameters().forEach(node::put);
        node.put("directions", result.directions().label());
        double[] explained = result.directions().explained();
        if (explained != null) {
            node.putArray("explained_variance").add(explained[0]).add(explained[1]);
        }
        SurfaceResult surface = result.surface();
        ObjectNode grid = node.putObject("grid");
        axis(grid.putObject("alpha"), surface.grid().horizontal());
        axis(grid.putObject("beta"), surface.grid().vertical());
        node.put("centre_loss", result.centreLoss());
        ObjectNode min = node.putObject("min");
        min.put("alpha", surface.argmin().u());
        min.put("beta", surface.argmin().v());
        min.put("loss", surface.argmin().loss());
        ObjectNode minima = node.putObject("local_minima");
        minima.put("count", result.minimaCount());
        ArrayNode listed = minima.putArray("lowest");
        for (LocalMinima.Minimum m : result.minima()) {
            ObjectNode point = listed.addObject();
            point.put("alpha", m.u());
            point.put("beta", m.v());
            point.put("loss", m.loss());
        }
        if (!result.trajectory().isEmpty()) {
            ArrayNode path = node.putArray("trajectory");
            for (double[] point : result.trajectory()) {
                path.addArray().add(point[0]).add(point[1]);
            }
        }
        node.put("samples", surface.samples());
        node.put("non_finite", surface.nonFinite());
        node.put("seconds", surface.seconds());
        node.put("compute_seconds", surface.computeSeconds());
        node.put("evals_per_second", surface.evalsPerSecond());
        return node;
    }

    private static void axis(ObjectNode node, Axis axis) {
        node.put("min", axis.min());
        node.put("max", axis.max());
        node.put("n", axis.n());
    }
}
