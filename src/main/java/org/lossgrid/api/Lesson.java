package org.lossgrid.api;

import static org.lossgrid.error.LossgridException.param;

import java.time.LocalDate;
import java.util.List;

import org.lossgrid.data.Dataset;
import org.lossgrid.data.Series;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.reference.NetworkReference;
import org.lossgrid.reference.Reference;
import org.lossgrid.surface.Axis;

/** The lesson's computations beyond surfaces and training: predictions over the test days, and the 1-D error curve. */
public final class Lesson {
    /** The book's 1-day optimum, w = 0.97 and b = 100 (《深度学习详解》 1.1). */
    public static final double BOOK_W = 0.97;
    public static final double BOOK_B = 100;

    /**
     * Whether the book's point belongs on a surface: the 1-day model of the bundled channel, split where
     * the book splits, on the (w1, b) slice.
     */
    public static boolean isBookExample(boolean bundled, int lags, LocalDate trainUntil, SurfaceRequest request) {
        return bundled && lags == 1 && trainUntil.equals(Data.DEFAULT_TRAIN_UNTIL) && request.horizontal().equals("w1")
                && request.vertical().equals("b");
    }

    /** The book's k-day MAE models: L on 2017-2020 and L' on 2021 per number of lags (NaN where it gives none). */
    public static final int[] BOOK_LAGS = {1, 7, 28, 56};
    public static final double[] BOOK_TRAIN = {480, 380, Double.NaN, Double.NaN};
    public static final double[] BOOK_TEST = {580, 490, 460, 460};

    /** The 7-day weights of the 2021 lecture slides that the book follows: b = 50, then w1..w7. */
    public static final double LECTURE_7DAY_B = 50;
    public static final double[] LECTURE_7DAY_W = {0.79, -0.31, 0.12, -0.01, -0.10, 0.30, 0.18};

    private Lesson() {
    }

    /** The model's predictions over the test days: dates from {@code first}, true and predicted views, and L'. */
    public record Predictions(LocalDate first, double[] truth, double[] predicted, double testLoss) {
    }

    /**
     * yhat_t = b + sum_j w_j views[t - j] for every target day after {@code trainUntil}, with the lags of
     * {@code params}.
     */
    public static Predictions predict(Series series, LocalDate trainUntil, Loss loss, Params params) {
        int lags = params.features();
        Dataset test = series.lagFeatures(lags, trainUntil).test();
        if (test.n() == 0) {
            throw LossgridException.badInput(param("train-until") + " " + trainUntil + " leaves no test days in "
                    + series.name() + " (it ends " + series.last() + ")");
        }
        double[] predicted = new double[test.n()];
        for (int i = 0; i < test.n(); i++) {
            predicted[i] = params.predict(test.row(i));
        }
        LocalDate first = series.last().minusDays(test.n() - 1);
        return new Predictions(first, test.yColumn(), predicted, Reference.loss(loss, test, params));
    }

    /**
     * yhat_t = model.predict(views[t - 1], ..., views[t - k]) for every target day after {@code trainUntil}:
     * a saved model of the family with its own lags and scale, L' by its formula.
     */
    public static Predictions predict(Series series, LocalDate trainUntil, Loss loss, NetworkModel model) {
        Dataset test = series.lagFeatures(model.network().inputs(), trainUntil).test();
        if (test.n() == 0) {
            throw LossgridException.badInput(param("train-until") + " " + trainUntil + " leaves no test days in "
                    + series.name() + " (it ends " + series.last() + ")");
        }
        double[] predicted = new double[test.n()];
        for (int i = 0; i < test.n(); i++) {
            predicted[i] = model.predict(test.row(i));
        }
        LocalDate first = series.last().minusDays(test.n() - 1);
        return new Predictions(first, test.yColumn(), predicted, NetworkReference.loss(loss, test, model));
    }

    /** One k-day model: its exact fit on the training days, L' on the test days, and the book's L and L' (NaN where none). */
    public record LagModel(int lags, ExactOptimum.Fit fit, double testLoss, double bookTrain, double bookTest) {
    }

    /** The exact fits of {@code loss} with 1, 7, 28 and 56 days of lags, the book's figures beside them. */
    public static List<LagModel> lagModels(Series series, LocalDate trainUntil, Loss loss) {
        List<LagModel> models = new java.util.ArrayList<>();
        for (int m = 0; m < BOOK_LAGS.length; m++) {
            org.lossgrid.data.Split split = series.lagFeatures(BOOK_LAGS[m], trainUntil);
            ExactOptimum.Fit fit = ExactOptimum.fit(loss, split.train(), true);
            models.add(new LagModel(BOOK_LAGS[m], fit, Reference.loss(loss, split.test(), fit.params()), BOOK_TRAIN[m],
                    BOOK_TEST[m]));
        }
        return models;
    }

    /** L along one parameter with the others held: the grid, the values, the tangent at w0 and the exact minimum on the line. */
    public record Curve(String parameter, Params held, double[] u, double[] loss, double w0, double lossAtW0, double slope,
            double minimumAt, double minimum) {
    }

    /**
     * The curve L(u) of parameter {@code name} over {@code axis}, the others held at {@code held}: values
     * in double on the training samples, the slope at {@code w0} from the backend's gradient, and the exact
     * minimum along the line (a one-parameter fit of the same loss to the residuals the held parameters
     * leave, so exact for every loss).
     */
    public static Curve curve(Lossgrid lg, Loss loss, String name, Axis axis, Params held, double w0) {
        Dataset train = lg.data().train();
        int index = ParamName.parse(name, train.k(), "param");
        double[] u = new double[axis.n()];
        double[] values = new double[axis.n()];
        for (int i = 0; i < u.length; i++) {
            u[i] = axis.value(i);
            values[i] = Reference.loss(loss, train, held.with(index, u[i]));
        }
        Params start = held.with(index, w0);
        double slope = lg.lossAndGradient(loss, start).gradient(index);
        double[] feature = new double[train.n()];
        double[] rest = new double[train.n()];
        Params zero = held.with(index, 0);
        for (int i = 0; i < train.n(); i++) {
            feature[i] = index == 0 ? 1 : train.x(index - 1, i);
            rest[i] = train.y(i) - zero.predict(train.row(i));
        }
        Dataset line = new Dataset(train.name() + " along " + name, List.of(name), new double[][] {feature}, rest);
        double at = ExactOptimum.fit(loss, line, false).params().w(0);
        return new Curve(name, held, u, values, w0, Reference.loss(loss, train, start), slope, at,
                Reference.loss(loss, train, held.with(index, at)));
    }

    /**
     * The parameters a curve holds, from the adapters' {@code at}: "optimum" for the exact optimum's
     * values, NAME=VALUE pairs over them (or over 0), e.g. "optimum,b=100"; the curve's own parameter
     * {@code index} may not be among them.
     */
    public static Params held(Lossgrid lg, Loss loss, int index, String at) {
        int features = lg.data().features();
        Params params = Params.zeros(features);
        List<String> pairs = new java.util.ArrayList<>();
        for (String part : (at == null ? SurfaceRequest.OPTIMUM : at).split(",")) {
            if (part.strip().equals(SurfaceRequest.OPTIMUM)) {
                params = lg.optimum(loss).params();
            } else if (part.contains("=")) {
                pairs.add(part);
            } else if (!part.isBlank()) {
                throw LossgridException.badInput(param("at") + ": expected NAME=VALUE or 'optimum', got '" + part.strip()
                        + "'");
            }
        }
        for (java.util.Map.Entry<Integer, Double> e : ParamName.parseAssignments(String.join(",", pairs), features, "at")
                .entrySet()) {
            if (e.getKey() == index) {
                throw LossgridException.badInput(param("at") + ": " + ParamName.of(index) + " is the parameter the curve "
                        + "varies");
            }
            params = params.with(e.getKey(), e.getValue());
        }
        return params;
    }

    /** The range the surface would choose for parameter {@code index} around the exact optimum, at 401 points. */
    public static Axis around(Lossgrid lg, Loss loss, int index) {
        SurfaceRequest request = SurfaceRequest.of(loss).axes(ParamName.of(index), index == 0 ? "w1" : "b").build();
        Axis chosen = lg.grid(request, lg.slice(request)).horizontal();
        return new Axis(chosen.min(), chosen.max(), 401);
    }

    /** Fractions of the largest stable learning rate of plain GD: crawls, just right, oscillates, diverges. */
    static final double[] PRESET_FRACTIONS = {0.01, 0.5, 0.97, 1.15};
    static final String[] PRESET_OUTCOMES = {"lr.crawls", "lr.right", "lr.oscillates", "lr.diverges"};

    /** One learning-rate experiment: the units, the rate as a fraction of the stable limit, and the run. */
    public record Preset(boolean standardized, double fraction, double learningRate, Trained run, String outcome) {
    }

    /**
     * The learning-rate experiments of the lesson on MSE with plain gradient descent from w = b = 0, in the
     * book's raw units and in standardized ones: for each, rates at 1%, 50%, 97% and 115% of the largest
     * stable rate 2 / lambda_max, which crawl, converge, oscillate and diverge.
     */
    public static List<Preset> learningRatePresets(Lossgrid lg, int steps) {
        List<Preset> presets = new java.util.ArrayList<>();
        for (boolean standardized : new boolean[] {false, true}) {
            Training probe = Training.of(Loss.MSE).standardize(standardized).build();
            double limit = lg.stableLearningRate(probe);
            for (int i = 0; i < PRESET_FRACTIONS.length; i++) {
                double eta = PRESET_FRACTIONS[i] * limit;
                Trained run = lg.train(Training.of(Loss.MSE).learningRate(eta).steps(steps).tolerance(0)
                        .standardize(standardized).schedule(org.lossgrid.train.TrainConfig.Schedule.CONSTANT).build());
                String outcome = run.diverged() ? "lr.diverges" : PRESET_OUTCOMES[i].equals("lr.diverges") ? "lr.oscillates"
                        : PRESET_OUTCOMES[i];
                presets.add(new Preset(standardized, PRESET_FRACTIONS[i], eta, run, outcome));
            }
        }
        return presets;
    }

    /**
     * The presets drawn over one error surface, computed on the backend now: a PNG of the whole runs, or
     * a GIF that advances them together, drawn later on any thread.
     */
    public static org.lossgrid.output.PresetsFigure presetsFigure(Lossgrid lg, List<Preset> presets,
            org.lossgrid.output.FigureText text) {
        SurfaceRequest request = SurfaceRequest.of(Loss.MSE).grid(new Axis(-0.2, 1.4, 240), new Axis(-1500, 1500, 240)).build();
        org.lossgrid.surface.Surface surface = lg.surface(request);
        org.lossgrid.output.SurfacePlot plot = new org.lossgrid.output.SurfacePlot(surface.values(), surface.grid(), "w1", "b",
                null, true).text(text).compact().optimum(lg.optimum(Loss.MSE).params().w(0), lg.optimum(Loss.MSE).params().b());
        List<List<org.lossgrid.output.PresetsFigure.Panel>> rows = new java.util.ArrayList<>();
        List<String> rowTitles = new java.util.ArrayList<>();
        for (boolean standardized : new boolean[] {false, true}) {
            rowTitles.add(text.get(standardized ? "lr.standardized" : "lr.raw"));
            List<org.lossgrid.output.PresetsFigure.Panel> row = new java.util.ArrayList<>();
            for (Preset preset : presets) {
                if (preset.standardized() != standardized) {
                    continue;
                }
                org.lossgrid.train.TrainResult result = preset.run().result();
                String what = text.get(preset.outcome()) + "\n" + (result.diverged()
                        ? text.get("lr.diverged.at", Integer.toString(result.steps()))
                        : text.get("lr.after", Integer.toString(result.steps()), String.format(java.util.Locale.ROOT, "%.4g",
                                preset.run().trainLoss())));
                String title = text.get("lr.panel", org.lossgrid.util.Numbers.compact(preset.learningRate()), what);
                row.add(new org.lossgrid.output.PresetsFigure.Panel(title, result.trajectory().stream()
                        .map(p -> new double[] {p.params().w(0), p.params().b()}).toList()));
            }
            rows.add(row);
        }
        return new org.lossgrid.output.PresetsFigure(plot, text.get("lr.title", "MSE, " + text.dataName(lg.data().train().name())),
                rowTitles, rows, text);
    }
}
