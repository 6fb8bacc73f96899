package org.lossgrid.cli;


import org.lossgrid.api.Training;
import org.lossgrid.data.Split;

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
        return Training.parse(data, new Training.Flags(loss, delta, lr, steps, tol, init, optimizer, scale, schedule,
                noIntercept));
    }
}
