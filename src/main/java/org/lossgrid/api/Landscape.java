package org.lossgrid.api;

import static org.lossgrid.error.LossgridException.param;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.output.CsvSink;
import org.lossgrid.output.LandscapeCurve;
import org.lossgrid.output.NpySink;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.output.SurfacePlot;
import org.lossgrid.output.Thumbnail;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.Directions;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.LandscapeTiles;
import org.lossgrid.surface.LocalMinima;
import org.lossgrid.surface.SurfaceEvaluator;
import org.lossgrid.surface.SurfaceResult;
import org.lossgrid.surface.SurfaceSink;
import org.lossgrid.train.Scaling;
import org.lossgrid.util.Progress;

/**
 * A loss landscape to compute (Li et al. 2018): L(theta* + alpha d1 + beta d2) of a trained network on
 * the training samples, over a grid of (alpha, beta), alpha horizontal and beta vertical, with the
 * directions d1 and d2 of {@link Directions}. The loss is in original units; theta*, d1 and d2 live in the
 * network's own parameter space (standardized units where the model is scaled). {@link Lossgrid#landscape}
 * computes it in tiles of grid points, each one batched backend call, within the memory budget.
 *
 * <pre>{@code
 * Landscape request = Landscape.of(model, Loss.MAE).directions(Directions.Choice.parse("filter"))
 *         .range(new Axis(-1, 1, 128)).build();
 * }</pre>
 */
public final class Landscape {
    /** The local minima a result lists (the lowest ones); all are counted. */
    public static final int MINIMA_LISTED = 50;

    private final NetworkModel model;
    private final Loss loss;
    private final Directions.Choice directions;
    private final Axis alpha;
    private final Axis beta;
    private final long seed;
    private final List<double[]> trajectory;
    private final SurfaceFiles files;
    private final Progress progress;
    private final Long memoryBudget;

    private Landscape(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.directions = b.directions;
        this.alpha = b.alpha;
        this.beta = b.beta == null ? b.alpha : b.beta;
        this.seed = b.seed;
        this.trajectory = b.trajectory == null ? null : List.copyOf(b.trajectory);
        this.files = b.files;
        this.progress = b.progress;
        this.memoryBudget = b.memoryBudget;
    }

    /** The landscape of {@code model} under {@code loss} (in original units): filter directions over -1..1, 51 points a side. */
    public static Builder of(NetworkModel model, Loss loss) {
        return new Builder(model, loss);
    }

    public NetworkModel model() {
        return model;
    }

    public Loss loss() {
        return loss;
    }

    public Directions.Choice directions() {
        return directions;
    }

    /** The grid: alpha horizontal, beta vertical (one point, beta = 0, for a 1-D landscape). */
    public GridSpec grid() {
        return new GridSpec(alpha, beta);
    }

    /** The landscape's settings; every setter checks its value. */
    public static final class Builder {
        private final NetworkModel model;
        private final Loss loss;
        private Directions.Choice directions = new Directions.Choice(Directions.Kind.FILTER, List.of());
        private Axis alpha = new Axis(-1, 1, 51);
        private Axis beta;
        private long seed = 1;
        private List<double[]> trajectory;
        private SurfaceFiles files = SurfaceFiles.of(null, null, null, "");
        private Progress progress = Progress.NONE;
        private Long memoryBudget;

        private Builder(NetworkModel model, Loss loss) {
            this.model = model;
            this.loss = loss;
        }

        public Builder directions(Directions.Choice choice) {
            this.directions = choice;
            return this;
        }

        /** alpha's axis, and beta's unless {@link #beta} or {@link #oneDimensional} sets it. */
        public Builder range(Axis axis) {
            axis.checkFloat("range");
            this.alpha = axis;
            return this;
        }

        /** beta's own axis. */
        public Builder beta(Axis axis) {
            axis.checkFloat("beta-range");
            this.beta = axis;
            return this;
        }

        /** Only alpha, at beta = 0: L(theta* + alpha d1). */
        public Builder oneDimensional() {
            this.beta = new Axis(0, 0, 1);
            return this;
        }

        /** The seed of the random and filter directions. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The parameter vectors a training run passed through, for pca directions and the projected path. */
        public Builder trajectory(List<double[]> points) {
            this.trajectory = points;
            return this;
        }

        public Builder files(SurfaceFiles files) {
            this.files = files;
            return this;
        }

        public Builder progress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /** Bytes the tiles and sinks may hold at once (default: half the heap). */
        public Builder memoryBudget(long bytes) {
            this.memoryBudget = bytes;
            return this;
        }

        public Landscape build() {
            return new Landscape(this);
        }
    }

    /** A trained network and the parameters it passed through, theta after epochs e_0 = 0 < e_1 < ... < e_m = E. */
    public record RecordedRun(TrainedNetwork run, List<double[]> trajectory) {
        public RecordedRun {
            trajectory = List.copyOf(trajectory);
        }
    }

    /**
     * Trains {@code training}'s network for its E epochs and records its trajectory, theta at {@code points}
     * epochs spread evenly over 0..E (in the space the network is trained in), in one run; a diverged run's
     * recording ends where it diverged.
     */
    public static RecordedRun trainRecorded(Lossgrid lg, Training.Builder training, int points) {
        Training full = training.build();
        int epochs = full.networkConfig().epochs();
        int steps = Math.max(1, Math.min(points - 1, epochs));
        List<double[]> trajectory = new ArrayList<>();
        int[] next = {0};
        TrainedNetwork run = lg.trainNetwork(full, (r, epoch, theta) -> {
            if (epoch == (int) ((long) next[0] * epochs / steps)) {
                trajectory.add(theta.clone());
                next[0]++;
            }
        });
        return new RecordedRun(run, trajectory);
    }

    /** The directions of this landscape around theta*; pca without a trajectory is a BAD_INPUT. */
    private Directions resolveDirections() {
        Network network = model.network();
        double[] centre = model.theta();
        return switch (directions.kind()) {
            case RANDOM -> Directions.random(network, seed);
            case FILTER -> Directions.filter(network, centre, seed);
            case PARAMS -> Directions.params(network, directions.names().get(0), directions.names().get(1));
            case PCA -> {
                if (trajectory == null) {
                    throw LossgridException.badInput(param("directions") + " pca takes the trajectory of a training "
                            + "run, which a params file does not hold; train here instead of " + param("params"));
                }
                yield Directions.pca(centre, trajectory);
            }
        };
    }

    /**
     * Computes the landscape on {@code backend} over {@code train} (in original units, scaled here as the
     * model was) and writes its files: every file is checked before the computation and all are committed
     * together after it, or none.
     */
    LandscapeResult run(Backend backend, Dataset train) {
        Network network = model.network();
        if (train.k() != network.inputs()) {
            throw LossgridException.badInput(param("params") + ": the model has " + network.inputs() + " lags but the "
                    + "data have " + train.k() + "; give " + param("lags") + " " + network.inputs());
        }
        Directions chosen = resolveDirections();
        double[] centre = model.theta();
        GridSpec grid = grid();
        double yScale = model.scale() == null ? 1 : model.scale().ySd();
        Dataset scaled = model.scale() == null ? train : Scaling.of(model.scale()).apply(train);
        files.paths().forEach(OutputPaths::checkWritable);
        Map<Path, Long> sizes = new LinkedHashMap<>();
        if (files.npy() != null) {
            sizes.put(files.npy(), NpySink.fileBytes(grid));
        }
        if (files.csv() != null) {
            sizes.merge(files.csv(), CsvSink.fileBytes(grid), Long::sum);
        }
        OutputPaths.checkSpace(sizes);
        try (OutputSet outputs = new OutputSet(); DeviceDataset resident = backend.upload(scaled)) {
            List<SurfaceSink> sinks = new ArrayList<>();
            if (files.npy() != null) {
                sinks.add(new NpySink(outputs.open(files.npy())));
            }
            CsvSink csv = null;
            if (files.csv() != null) {
                csv = new CsvSink(outputs.open(files.csv()), "alpha", "beta");
                sinks.add(csv);
            }
            Thumbnail thumbnail = files.png() == null ? null : new Thumbnail(SurfaceFiles.PLOT_POINTS);
            if (thumbnail != null) {
                sinks.add(thumbnail);
            }
            LocalMinima minima = new LocalMinima(MINIMA_LISTED);
            sinks.add(minima);
            LandscapeTiles tiles = new LandscapeTiles(resident, loss, yScale, network, centre, chosen, grid);
            float[] centreTheta = chosen.point(centre, 0, 0, new float[centre.length]);
            double centreLoss = loss.rescale(resident.networkLosses(loss.inUnitsOf(yScale), network,
                    new float[][] {centreTheta})[0], yScale);
            long budget = memoryBudget == null ? SurfaceEvaluator.defaultBudget() : memoryBudget;
            // a landscape varies directions, not two parameters of the linear model: it has no Slice
            SurfaceResult surface = new SurfaceEvaluator(budget, progress).run(tiles, "brute", grid, null, train.n(), sinks);
            if (csv != null) {
                csv.finish();
            }
            List<double[]> path = trajectory == null ? List.of()
                    : trajectory.stream().map(theta -> chosen.project(centre, theta)).toList();
            LandscapeResult result = new LandscapeResult(model, chosen, surface, centreLoss, minima.count(),
                    minima.lowest(), path);
            if (files.png() != null) {
                outputs.write(files.png(), grid.rows() == 1 ? curve(thumbnail, result) : plot(thumbnail, result).png());
            }
            outputs.commit();
            return result;
        }
    }

    /** The curve of a 1-D landscape, theta* and the local minima marked. */
    private byte[] curve(Thumbnail thumbnail, LandscapeResult result) {
        String title = files.text().get("landscape.title.minima", files.title(), result.minimaCount());
        return LandscapeCurve.png(files.text(), title, thumbnail.grid().horizontal(), thumbnail.values(),
                result.centreLoss(), result.minima().stream().map(m -> new double[] {m.u(), m.loss()}).toList(),
                result.minimaCount());
    }

    /**
     * Colours logarithmic in the loss where it spans more than a decade over the grid (a landscape far from
     * theta* climbs steeply), or for a loss that grows quadratically; linear otherwise.
     */
    private boolean logColours(float[] values) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return loss.quadratic() || lo > 0 && hi > 10 * lo;
    }

    /** The heat map with contours, theta* at the centre, the local minima and, for pca, the projected trajectory. */
    private SurfacePlot plot(Thumbnail thumbnail, LandscapeResult result) {
        String title = files.text().get("landscape.title.minima", files.title(), result.minimaCount());
        SurfacePlot plot = new SurfacePlot(thumbnail.values(), thumbnail.grid(), "\u03b1", "\u03b2", title,
                logColours(thumbnail.values())).text(files.text()).argmin(result.surface().argmin().u(), result.surface().argmin().v())
                .centre(0, 0)
                .minima(result.minima().stream().map(m -> new double[] {m.u(), m.v()}).toList(), result.minimaCount());
        if (result.trajectory().size() > 1) {
            plot.path(result.trajectory());
        }
        files.decorate().accept(plot);
        return plot;
    }
}
