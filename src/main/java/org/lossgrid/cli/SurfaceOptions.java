package org.lossgrid.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;
import org.lossgrid.util.Bytes;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceEvaluator;

import picocli.CommandLine.Option;

/** The grid, slice and memory options shared by every command that draws or computes a surface. */
final class SurfaceOptions {
    static final int DEFAULT_POINTS = 512;
    /** The --at keyword for the exact optimum's values. */
    static final String OPTIMUM = "optimum";

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
            description = "Values of the parameters that are not axes, e.g. w2=0.1,w3=0; 'optimum' holds them at the "
                    + "exact optimum's values, which pairs then override, e.g. optimum,w2=0 (default: 0 for each).")
    String at;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "Memory budget for the surface, e.g. 512m or 2g (default: half the Java heap). "
                    + "Larger surfaces are computed in row tiles and streamed to the outputs.")
    String maxMemory;

    /** The exact optimum of the training data for the loss, computed once for --at optimum and the default grid. */
    private Params optimum;

    Slice slice(Dataset data, Loss loss) {
        int features = data.k();
        String[] names = axes.split(",");
        if (names.length != 2) {
            throw LossgridException.badInput("--axes: expected two parameter names such as w1,b, got '"
                    + axes + "'");
        }
        int horizontal = ParamName.parse(names[0], features, "axes");
        int vertical = ParamName.parse(names[1], features, "axes");
        Params params = Params.zeros(features);
        List<String> pairs = new ArrayList<>();
        for (String part : at == null ? new String[0] : at.split(",")) {
            if (part.strip().equals(OPTIMUM)) {
                params = optimum(data, loss);
            } else if (part.contains("=")) {
                pairs.add(part);
            } else if (!part.isBlank()) {
                throw LossgridException.badInput("--at: expected NAME=VALUE or '" + OPTIMUM + "', got '"
                        + part.strip() + "'");
            }
        }
        Map<Integer, Double> assigned = ParamName.parseAssignments(String.join(",", pairs), features, "at");
        for (Map.Entry<Integer, Double> e : assigned.entrySet()) {
            params = params.with(e.getKey(), e.getValue());
        }
        return new Slice(horizontal, vertical, params);
    }

    /** Whether --at was left out, so a model with several features holds the others at 0. */
    boolean atDefault() {
        return at == null;
    }

    private Params optimum(Dataset data, Loss loss) {
        if (optimum == null) {
            optimum = ExactOptimum.fit(loss, data, true).params();
        }
        return optimum;
    }

    /** The grid from --w/--b, or around {@code centre} at the data's natural scale where they are absent. */
    GridSpec grid(Dataset data, Loss loss, Slice slice) {
        Axis horizontal = w == null ? null : Axis.parse(w, "w");
        Axis vertical = b == null ? null : Axis.parse(b, "b");
        if (horizontal == null || vertical == null) {
            Params best = optimum(data, loss);
            double spread = 3 * Math.sqrt(Reference.loss(Loss.MSE, data, best));
            if (horizontal == null) {
                horizontal = around(data, best, slice.horizontal(), spread);
            }
            if (vertical == null) {
                vertical = around(data, best, slice.vertical(), spread);
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
        return maxMemory == null ? SurfaceEvaluator.defaultBudget() : Bytes.parse(maxMemory, "max-memory");
    }
}
