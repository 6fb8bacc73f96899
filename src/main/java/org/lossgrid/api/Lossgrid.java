package org.lossgrid.api;

import static org.lossgrid.error.LossgridException.param;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.Backends;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.CsvSink;
import org.lossgrid.output.DescentAnimation;
import org.lossgrid.output.NpySink;
import org.lossgrid.output.OutputPaths;
import org.lossgrid.output.OutputSet;
import org.lossgrid.output.SurfacePlot;
import org.lossgrid.output.Thumbnail;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.Surface;
import org.lossgrid.surface.SurfaceEvaluator;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.surface.SurfaceResult;
import org.lossgrid.surface.SurfaceSink;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.model.ParamsFile;
import org.lossgrid.reference.NetworkReference;
import org.lossgrid.train.NetworkConfig;
import org.lossgrid.train.NetworkTrainer;
import org.lossgrid.train.TrainResult;
import org.lossgrid.train.Trainer;

/**
 * lossgrid as a library: one open backend and the samples it works on. Surfaces, training runs,
 * sweeps and exact optima are methods of this handle; it owns the backend and the training samples'
 * resident copy on the device (uploaded once, on first use), and {@link #close()} releases both.
 *
 * <pre>{@code
 * try (Lossgrid lg = Lossgrid.open("auto", Data.sample(1))) {
 *     Surface surface = lg.surface(SurfaceRequest.of(Loss.MAE).build());
 *     Trained run = lg.train(Training.of(Loss.MAE).build());
 *     ExactOptimum.Fit best = lg.optimum(Loss.MAE);
 * }
 * }</pre>
 *
 * Failures are {@link LossgridException}s whose {@link LossgridException#kind() kind} says what went
 * wrong: bad input, an unavailable backend, resources, divergence. A handle is not thread-safe; use one
 * per thread.
 */
public final class Lossgrid implements AutoCloseable {
    private final Backend backend;
    private final Split data;
    private final Map<String, ExactOptimum.Fit> optima = new HashMap<>();
    private DeviceDataset resident;
    private boolean closed;

    private Lossgrid(Backend backend, Split data) {
        this.backend = backend;
        this.data = data;
    }

    /**
     * Opens {@code backend} ({@code auto}, {@code cpu}, {@code opencl} or {@code cuda}) for {@code data}.
     * An unavailable backend is an error of kind {@code UNAVAILABLE} with the reason.
     */
    public static Lossgrid open(String backend, Split data) {
        return open(backend, null, data, message -> { });
    }

    /**
     * Opens device {@code device} (null: the first) of {@code backend}; {@code log} hears why {@code auto}
     * passed over a backend.
     */
    public static Lossgrid open(String backend, Integer device, Split data, Consumer<String> log) {
        return new Lossgrid(Backends.standard().open(backend, device, log), data);
    }

    /** The samples: training and test. */
    public Split data() {
        return data;
    }

    /** The backend's name: cpu, opencl or cuda. */
    public String backendName() {
        return backend.name();
    }

    /** What the backend runs on. */
    public DeviceInfo device() {
        return backend.device();
    }

    /**
     * The loss called {@code name} (mae, mse or huber). For huber, {@code delta} null means the usual
     * choice, {@link #huberDelta()}.
     */
    public Loss loss(String name, Double delta) {
        return loss(name, delta, data);
    }

    /** The loss called {@code name} for these samples: as {@link #loss(String, Double)}, before any backend is open. */
    public static Loss loss(String name, Double delta, Split data) {
        boolean huber = name.trim().equalsIgnoreCase("huber");
        Double chosen = huber && delta == null ? Double.valueOf(ExactOptimum.huberDelta(data.train(), true)) : delta;
        return Loss.of(name, chosen);
    }

    /** Huber's usual delta for the training samples: 1.345 times the robust scale of the exact MAE fit's residuals. */
    public double huberDelta() {
        return ExactOptimum.huberDelta(data.train(), true);
    }

    /** L(params) and its gradient [dL/db, dL/dw1..k] on the backend, over the resident training samples. */
    public LossGradient lossAndGradient(Loss loss, Params params) {
        return resident().lossAndGradient(loss, params);
    }

    /** {@link #lossAndGradient} of many parameter sets in one pass over the samples (one launch on a GPU). */
    public LossGradient[] lossAndGradient(Loss loss, Params[] sets) {
        return resident().lossAndGradientBatch(loss, sets);
    }

    /** The exact optimum of {@code loss} on the training samples, with an intercept. */
    public ExactOptimum.Fit optimum(Loss loss) {
        return optimum(loss, true);
    }

    /** The exact optimum of {@code loss} on the training samples, computed once per loss. */
    public ExactOptimum.Fit optimum(Loss loss, boolean intercept) {
        return optima.computeIfAbsent(loss + "/" + intercept, key -> ExactOptimum.fit(loss, data.train(), intercept));
    }

    /** L(params) of the loss on the training samples, in double on the host data. */
    public double trainLoss(Loss loss, Params params) {
        return Reference.loss(loss, data.train(), params);
    }

    /** L'(params) on the test samples, or NaN when there are none. */
    public double testLoss(Loss loss, Params params) {
        return data.test().n() == 0 ? Double.NaN : Reference.loss(loss, data.test(), params);
    }

    /** The slice a request names: its two axes and the values of every other parameter. */
    public Slice slice(SurfaceRequest request) {
        int features = data.features();
        int horizontal = ParamName.parse(request.horizontal(), features, "axes");
        int vertical = ParamName.parse(request.vertical(), features, "axes");
        Params at = request.holdAtOptimum() ? optimum(request.loss()).params() : Params.zeros(features);
        for (Map.Entry<String, Double> held : request.held().entrySet()) {
            int index = ParamName.parse(held.getKey(), features, "at");
            if (index == horizontal || index == vertical) {
                throw LossgridException.badInput(param("at") + ": " + held.getKey() + " is an axis of the surface, so it "
                        + "varies over the grid; " + param("at") + " holds only the other parameters");
            }
            if (!Double.isFinite(held.getValue())) {
                throw LossgridException.badInput(param("at") + ": " + held.getKey() + " must be finite, got "
                        + held.getValue());
            }
            at = at.with(index, held.getValue());
        }
        return new Slice(horizontal, vertical, at);
    }

    /** The grid a request names; an axis it leaves out is centred on the exact optimum. */
    public GridSpec grid(SurfaceRequest request, Slice slice) {
        Axis horizontal = request.horizontalAxis();
        Axis vertical = request.verticalAxis();
        if (horizontal != null) {
            horizontal.checkFloat("w");
        }
        if (vertical != null) {
            vertical.checkFloat("b");
        }
        if (horizontal == null || vertical == null) {
            Params best = optimum(request.loss()).params();
            double spread = 3 * Math.sqrt(Reference.loss(Loss.MSE, data.train(), best));
            if (horizontal == null) {
                horizontal = around(best, slice.horizontal(), spread);
            }
            if (vertical == null) {
                vertical = around(best, slice.vertical(), spread);
            }
        }
        return new GridSpec(horizontal, vertical);
    }

    /**
     * An axis centred on the optimum's value of the parameter, wide enough to move the predictions by
     * {@code spread} (three residual standard deviations): +-spread for b, +-spread / sd(x_j) for w_j.
     */
    private Axis around(Params optimum, int param, double spread) {
        double centre = optimum.get(param);
        double half = param == 0 ? spread : spread / Math.max(standardDeviation(data.train(), param - 1), 1e-12);
        if (!(half > 0)) {
            half = Math.max(1, Math.abs(centre));
        }
        return new Axis(centre - half, centre + half, SurfaceRequest.DEFAULT_POINTS);
    }

    /** sqrt(mean_i (x_ji - mean x_j)^2) */
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

    /** The surface in memory: values, argmin and timings. Within the request's memory budget, or an error. */
    public Surface surface(SurfaceRequest request) {
        Slice slice = slice(request);
        GridSpec grid = grid(request, slice);
        SurfaceMethod method = request.method().resolve(request.loss());
        try (SurfaceTiles tiles = method.tiles(resident(), request.loss(), slice.plane(data.train(), grid))) {
            return new SurfaceEvaluator(budget(request), request.progress())
                    .inMemory(tiles, method.cliName(), grid, slice, data.train().n(), List.of());
        }
    }

    /** Streams the surface into the caller's sinks, tile by tile, in any size the budget allows. */
    public SurfaceResult surface(SurfaceRequest request, List<SurfaceSink> sinks) {
        Slice slice = slice(request);
        return stream(request, slice, grid(request, slice), sinks);
    }

    private SurfaceResult stream(SurfaceRequest request, Slice slice, GridSpec grid, List<SurfaceSink> sinks) {
        SurfaceMethod method = request.method().resolve(request.loss());
        try (SurfaceTiles tiles = method.tiles(resident(), request.loss(), slice.plane(data.train(), grid))) {
            return new SurfaceEvaluator(budget(request), request.progress())
                    .run(tiles, method.cliName(), grid, slice, data.train().n(), sinks);
        }
    }

    /**
     * The surface written to files: NPY and CSV stream tile by tile, the PNG is drawn from a thumbnail.
     * Every file is checked (and the free space for it) before any computation, and all are committed
     * together only after the whole surface succeeded; on failure none is left, not even a temporary file.
     */
    public SurfaceResult surface(SurfaceRequest request, SurfaceFiles files) {
        try (OutputSet outputs = new OutputSet()) {
            SurfaceResult result = surface(request, files, outputs);
            outputs.commit();
            return result;
        }
    }

    /**
     * As {@link #surface(SurfaceRequest, SurfaceFiles)}, but into the caller's {@code outputs}, which the
     * caller commits with its other files (a run's summary, say), so that all appear together or none.
     */
    public SurfaceResult surface(SurfaceRequest request, SurfaceFiles files, OutputSet outputs) {
        Slice slice = slice(request);
        return write(request, slice, grid(request, slice), files, outputs);
    }

    private SurfaceResult write(SurfaceRequest request, Slice slice, GridSpec grid, SurfaceFiles files,
            OutputSet outputs) {
        files.paths().forEach(OutputPaths::checkWritable);
        Map<java.nio.file.Path, Long> sizes = new java.util.LinkedHashMap<>();
        if (files.npy() != null) {
            sizes.put(files.npy(), NpySink.fileBytes(grid));
        }
        if (files.csv() != null) {
            sizes.merge(files.csv(), CsvSink.fileBytes(grid), Long::sum);
        }
        OutputPaths.checkSpace(sizes);
        List<SurfaceSink> sinks = new ArrayList<>();
        CsvSink csv = null;
        if (files.npy() != null) {
            sinks.add(new NpySink(outputs.open(files.npy())));
        }
        if (files.csv() != null) {
            csv = new CsvSink(outputs.open(files.csv()), slice.horizontalName(), slice.verticalName());
            sinks.add(csv);
        }
        Thumbnail thumbnail = files.png() == null && files.gif() == null ? null : new Thumbnail(SurfaceFiles.PLOT_POINTS);
        if (thumbnail != null) {
            sinks.add(thumbnail);
        }
        SurfaceResult result = stream(request, slice, grid, sinks);
        if (csv != null) {
            csv.finish();
        }
        if (files.png() != null) {
            SurfacePlot plot = plot(request, slice, thumbnail, result, files);
            files.decorate().accept(plot);
            outputs.write(files.png(), plot.png());
        }
        if (files.gif() != null) {
            SurfacePlot plot = plot(request, slice, thumbnail, result, files);
            files.decorate().accept(plot);
            plot.withoutPath();
            outputs.write(files.gif(), DescentAnimation.gif(plot, files.animation(), files.text()));
        }
        return result;
    }

    private static SurfacePlot plot(SurfaceRequest request, Slice slice, Thumbnail thumbnail, SurfaceResult result,
            SurfaceFiles files) {
        return new SurfacePlot(thumbnail.values(), thumbnail.grid(), slice.horizontalName(), slice.verticalName(),
                files.title(), request.loss().quadratic()).text(files.text()).argmin(result.argmin().u(), result.argmin().v());
    }

    /** The largest learning rate at which plain gradient descent on this training cannot diverge, in its units. */
    public double stableLearningRate(Training training) {
        try (Trainer trainer = new Trainer(backend, data.train(), training.config(data.features()))) {
            return trainer.stableLearningRate();
        }
    }

    /** Gradient descent as configured, on this backend; divergence is reported in the result, never thrown. */
    public Trained train(Training training) {
        try (Trainer trainer = new Trainer(backend, data.train(), training.config(data.features()))) {
            TrainResult result = trainer.run(training.progress());
            return trained(training, trainer, result);
        }
    }

    /**
     * Minibatch training of the network {@code training} names ({@link Training.Builder#model}), on this
     * backend; divergence is reported in the result, never thrown. The reported losses are those of the
     * returned model by the params file's formula, on the host data in double.
     */
    public TrainedNetwork trainNetwork(Training training) {
        return trainNetwork(training, NetworkTrainer.EpochListener.NONE);
    }

    /** {@link #trainNetwork(Training)}, showing {@code listener} the parameters after each epoch (in the standardized space). */
    public TrainedNetwork trainNetwork(Training training, NetworkTrainer.EpochListener listener) {
        NetworkConfig config = training.networkConfig();
        return trainNetworks(training, List.of(new NetworkTrainer.Run(config.seed(), config.learningRate())), listener)
                .get(0);
    }

    /**
     * Several networks of {@code training}'s model trained together, one per run (a seed and a learning
     * rate): each step is one batched backend call for every active run's minibatch gradient. Runs that
     * diverge stop there and are reported, never thrown.
     */
    public List<TrainedNetwork> trainNetworks(Training training, List<NetworkTrainer.Run> runs) {
        return trainNetworks(training, runs, NetworkTrainer.EpochListener.NONE);
    }

    private List<TrainedNetwork> trainNetworks(Training training, List<NetworkTrainer.Run> runs,
            NetworkTrainer.EpochListener listener) {
        if (runs.isEmpty()) {
            throw LossgridException.badInput(param("seeds") + ": no networks to train");
        }
        NetworkConfig config = training.networkConfig();
        try (NetworkTrainer trainer = new NetworkTrainer(backend, data.train(), data.test(), config)) {
            List<NetworkTrainer.Result> results = trainer.runAll(runs, training.progress(), listener);
            List<TrainedNetwork> trained = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                NetworkTrainer.Result result = results.get(r);
                boolean sound = !result.diverged();
                double trainLoss = sound ? NetworkReference.loss(config.loss(), data.train(), result.model()) : Double.NaN;
                double testLoss = sound && data.test().n() > 0
                        ? NetworkReference.loss(config.loss(), data.test(), result.model()) : Double.NaN;
                trained.add(new TrainedNetwork(config, runs.get(r), result, trainLoss, testLoss,
                        sound ? null : trainer.divergence(result, runs.get(r).learningRate())));
            }
            return trained;
        }
    }

    /**
     * The model saved in a params file, checked throughout; {@code lags}, when not null, is the lag count it
     * must have. Every problem is a BAD_INPUT error naming the file and the place.
     */
    public static NetworkModel readModel(java.nio.file.Path file, Integer lags) {
        NetworkModel model = ParamsFile.read(file, lags);
        if (!Loss.names().contains(model.loss())) {
            throw LossgridException.badInput(param("params") + " " + file + ": \"loss\" is \"" + model.loss()
                    + "\"; a params file's loss is one of " + String.join(", ", Loss.names()));
        }
        return model;
    }

    /**
     * The loss landscape {@code request} describes, L(theta* + alpha d1 + beta d2) on the training samples in
     * original units, on this backend, with its files written together after the whole grid succeeded.
     */
    public LandscapeResult landscape(Landscape request) {
        if (closed) {
            throw new IllegalStateException("this Lossgrid handle is closed");
        }
        return request.run(backend, data.train());
    }

    /** The bytes of the params file of {@code model}, for an {@link OutputSet}. */
    public static byte[] paramsFile(NetworkModel model) {
        return ParamsFile.json(model);
    }

    /**
     * One run per learning rate, all together: each step is one batched backend call that computes every
     * active run's gradient. Runs that converge or diverge stop there.
     */
    public List<Trained> sweep(Training training, double[] rates) {
        if (rates.length == 0) {
            throw LossgridException.badInput(param("lr-sweep") + ": no learning rates to try");
        }
        try (Trainer trainer = new Trainer(backend, data.train(), training.config(data.features()))) {
            List<Trained> runs = new ArrayList<>();
            for (TrainResult result : trainer.sweep(rates, training.progress())) {
                runs.add(trained(training, trainer, result));
            }
            return runs;
        }
    }

    private Trained trained(Training training, Trainer trainer, TrainResult result) {
        Loss loss = trainer.config().loss();
        double trainLoss = result.diverged() ? Double.NaN : trainLoss(loss, result.params());
        double testLoss = result.diverged() ? Double.NaN : testLoss(loss, result.params());
        return new Trained(trainer.config(), result, trainLoss, testLoss, optimum(loss, trainer.config().intercept()),
                result.diverged() ? trainer.divergence(result) : null);
    }

    /**
     * The path of a run drawn on the error surface of the (w1, b) slice through its final parameters, with
     * the exact optimum marked, on a grid around path and optimum where {@code w} or {@code b} is null;
     * the files go into {@code outputs}, which the caller commits.
     */
    public SurfaceResult drawPath(Trained run, Axis w, Axis b, SurfaceFiles files, OutputSet outputs) {
        List<TrainResult.Point> path = run.result().trajectory();
        Params optimum = run.optimum().params();
        GridSpec grid = new GridSpec(w != null ? w : aroundPath(path, optimum, 1), b != null ? b : aroundPath(path, optimum, 0));
        SurfaceRequest request = SurfaceRequest.of(run.config().loss()).build();
        SurfaceFiles decorated = files.decorated(plot -> {
            plot.path(path.stream().map(p -> new double[] {p.params().w(0), p.params().b()}).toList())
                    .optimum(optimum.w(0), optimum.b());
            files.decorate().accept(plot);
        });
        if (files.gif() != null) {
            decorated = decorated.animated(files.gif(), path.stream()
                    .map(p -> new DescentAnimation.Point(p.step(), p.params().w(0), p.params().b(), p.loss())).toList());
        }
        return write(request, Slice.wb(run.result().params()), grid, decorated, outputs);
    }

    /** The range of parameter {@code index} over the finite path points and the optimum, padded by 15%. */
    private static Axis aroundPath(List<TrainResult.Point> path, Params optimum, int index) {
        double lo = optimum.get(index);
        double hi = lo;
        for (TrainResult.Point p : path) {
            double v = p.params().get(index);
            if (Double.isFinite(v) && Double.isFinite(p.loss())) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double pad = Math.max(0.15 * (hi - lo), 0.05 * Math.max(Math.abs(lo), Math.abs(hi)));
        if (!(pad > 0)) {
            pad = 1;
        }
        return new Axis(lo - pad, hi + pad, PATH_POINTS);
    }

    /** Points per side of a path's picture. */
    private static final int PATH_POINTS = 400;

    private long budget(SurfaceRequest request) {
        return request.memoryBudget() == null ? SurfaceEvaluator.defaultBudget() : request.memoryBudget();
    }

    /** The training samples on the device, uploaded on first use and kept until close. */
    private DeviceDataset resident() {
        if (closed) {
            throw new IllegalStateException("this Lossgrid handle is closed");
        }
        if (resident == null) {
            resident = backend.upload(data.train());
        }
        return resident;
    }

    /** {@code Lossgrid[cpu on Java on AMD EPYC: sample channel (train), 1460 samples, 1 feature]} */
    @Override
    public String toString() {
        return "Lossgrid[" + backend.name() + " on " + backend.device().name() + ": " + data.train().name() + ", "
                + data.train().n() + " samples, " + data.features() + (data.features() == 1 ? " feature" : " features")
                + (closed ? ", closed" : "") + "]";
    }

    /** Releases the resident samples and the backend; closing again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (resident != null) {
                resident.close();
            }
        } finally {
            backend.close();
        }
    }
}
