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
    @Option(names = "--loss", paramLabel = "mae|mse|huber", defaultValue = "mae")
    String loss;

    @Option(names = "--delta", paramLabel = "D")
    Double delta;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.1")
    double lr;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10000")
    int steps;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "1e-7")
    double tol;

    @Option(names = "--init", paramLabel = "b=..,w1=..")
    String init;

    @Option(names = "--optimizer", paramLabel = "gd|momentum|adam", defaultValue = "gd")
    String optimizer;

    @Option(names = "--scale", paramLabel = "standardize|none", defaultValue = "standardize")
    String scale;

    @Option(names = "--schedule", paramLabel = "auto|constant|inverse-sqrt", defaultValue = "auto")
    String schedule;

    @Option(names = "--no-intercept")
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
