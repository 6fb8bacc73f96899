package org.lossgrid.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.Training;
import org.lossgrid.data.Split;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.error.LossgridException;
import org.lossgrid.train.Optimizer;
import org.lossgrid.train.TrainConfig;

import picocli.CommandLine.Option;

/** The options of a gradient-descent run. */
final class TrainOptions {
    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae", description = "Loss (default: ${DEFAULT-VALUE}, the book's).")
    String loss;

    @Option(names = "--delta", paramLabel = "D",
            description = "Huber's delta, in views (default: 1.345 x the robust scale of the exact MAE fit's residuals).")
    Double delta;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.1",
            description = "Learning rate eta, in the scaled units of --scale (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10000", description = "Step budget (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "1e-7",
            description = "Stop when the gradient norm in the scaled space is below T (default: ${DEFAULT-VALUE}).")
    double tol;

    @Option(names = "--init", paramLabel = "b=..,w1=..",
            description = "Initial parameters in original units (default: all 0).")
    String init;

    @Option(names = "--optimizer", paramLabel = "gd|momentum|adam", defaultValue = "gd",
            description = "Update rule (default: ${DEFAULT-VALUE}, the book's theta <- theta - eta * grad).")
    String optimizer;

    @Option(names = "--scale", paramLabel = "standardize|none", defaultValue = "standardize",
            description = {"standardize (default): train on (x - mean)/sd and (y - mean)/sd, report original units. "
                    + "Raw views make dL/dw about 1000 times dL/db, so plain GD on raw data crawls along b;",
                "none: raw units, as the book does (needs a tiny --lr, e.g. 1e-8 for MSE)."})
    String scale;

    @Option(names = "--schedule", paramLabel = "auto|constant|inverse-sqrt", defaultValue = "auto",
            description = "Learning-rate schedule; auto (default) is constant for MSE and eta/sqrt(1+t) for MAE, "
                    + "whose subgradient steps must shrink to converge.")
    String schedule;

    @Option(names = "--no-intercept", description = "Fit y = w.x without b (b stays 0).")
    boolean noIntercept;

    /** The training these flags describe, on {@code data} (whose residuals set Huber's default delta). */
    Training.Builder training(Split data) {
        Loss lossFunction = Lossgrid.loss(loss, delta, data);
        boolean standardize = switch (scale.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "standardize" -> true;
            case "none" -> false;
            default -> throw LossgridException.badInput("--scale: unknown scaling '" + scale + "'; choose standardize or none");
        };
        Map<String, Double> start = new LinkedHashMap<>();
        ParamName.parseAssignments(init, data.features(), "init").forEach((index, value) -> start.put(ParamName.of(index), value));
        Training.Builder training = Training.of(lossFunction).learningRate(lr).steps(steps).tolerance(tol).init(start)
                .optimizer(Optimizer.Kind.parse(optimizer)).standardize(standardize)
                .schedule(schedule.trim().equalsIgnoreCase("auto") ? null : TrainConfig.Schedule.parse(schedule, lossFunction));
        if (noIntercept) {
            training.noIntercept();
        }
        return training;
    }
}
