package org.lossgrid.cli;

import java.util.Map;

import org.lossgrid.data.Dataset;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.Bytes;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceEvaluator;

import picocli.CommandLine.Option;

/** The grid, slice and memory options shared by every command that draws or computes a surface. */
final class SurfaceOptions {
    static final int DEFAULT_POINTS = 512;

    @Option(names = "--w", paramLabel = "MIN:MAX:N",
            description = "Horizontal axis (w1 unless --axes says otherwise): N points from MIN to MAX inclusive, "
                    + "as numpy.linspace. Default: " + DEFAULT_POINTS + " points centred on the exact optimum.")
    String w;

    @Option(names = "--b", paramLabel = "MIN:MAX:N",
            description = "Vertical axis (b unless --axes says otherwise), as --w.")
    String b;

    @Option(names = "--axes", paramLabel = "H,V", defaultValue = "w1,b",
            description = "The two parameters the surface varies, horizontal then vertical (default: ${DEFAULT-VALUE}).")
    String axes;

    @Option(names = "--at", paramLabel = "NAME=VALUE,...",
            description = "Values of the parameters that are not axes, e.g. w2=0.1,w3=0 (default: 0 for each).")
    String at;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "Memory budget for the surface, e.g. 512m or 2g (default: half the Java heap). "
                    + "Larger surfaces are computed in row tiles and streamed to the outputs.")
    String maxMemory;

    Slice slice(int features) {
        String[] names = axes.split(",");
        if (names.length != 2) {
            throw org.lossgrid.error.LossgridException.badInput("--axes: expected two parameter names such as w1,b, got '"
                    + axes + "'");
        }
        int horizontal = ParamName.parse(names[0], features, "--axes");
        int vertical = ParamName.parse(names[1], features, "--axes");
        Params params = Params.zeros(features);
        for (Map.Entry<Integer, Double> e : ParamName.parseAssignments(at, features, "--at").entrySet()) {
            params = params.with(e.getKey(), e.getValue());
        }
        return new Slice(horizontal, vertical, params);
    }

    /** The grid from --w/--b, or around {@code centre} at the data's natural scale where they are absent. */
    GridSpec grid(Dataset data, Loss loss, Slice slice) {
        Axis horizontal = w == null ? null : Axis.parse(w, "--w");
        Axis vertical = b == null ? null : Axis.parse(b, "--b");
        if (horizontal == null || vertical == null) {
            Params optimum = ExactOptimum.fit(loss, data, true).params();
            double spread = 3 * Math.sqrt(Reference.loss(Loss.MSE, data, optimum));
            if (horizontal == null) {
                horizontal = around(data, optimum, slice.horizontal(), spread);
            }
            if (vertical == null) {
                vertical = around(data, optimum, slice.vertical(), spread);
            }
        }
        return new GridSpec(horizontal, vertical);
    }

    /**
     * An axis centred on the optimum's value of the parameter, wide enough to move the predictions by
     * {@code spread} (three residual standard deviations): +-spread for b, +-spread / sd(x_j) for w_j.
     */
    private static Axis around(Dataset data, Params optimum, int param, double spread) {
        double centre = optimum.get(param);
        double half = param == 0 ? spread : spread / Math.max(standardDeviation(data, param - 1), 1e-12);
        if (!(half > 0)) {
            half = Math.max(1, Math.abs(centre));
        }
        return new Axis(centre - half, centre + half, DEFAULT_POINTS);
    }

    private static double standardDeviation(Dataset data, int j) {
        double mean = 0;
        for (int i = 0; i < data.n(); i++) {
            mean += data.x(j, i);
        }
        mean /= data.n();
        double ss = 0;
        for (int i = 0; i < data.n(); i++) {
            double d = data.x(j, i) - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / data.n());
    }

    long budget() {
        return maxMemory == null ? SurfaceEvaluator.defaultBudget() : Bytes.parse(maxMemory, "--max-memory");
    }
}
