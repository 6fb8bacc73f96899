package org.lossgrid.train;

import java.util.List;

import org.lossgrid.model.Params;

/**
 * The end of a training run, in original units. {@code loss} is the device's training loss at
 * {@code params}; the trajectory holds the start, thinned intermediate steps and the end. A run that
 * diverged stopped at step {@code steps}; {@code lossBeforeDivergence} is the loss of the step before,
 * the last one that had not blown up (NaN for a run that did not diverge).
 */
public record TrainResult(Params params, double loss, int steps, boolean converged, boolean diverged,
        double gradientNorm, List<Point> trajectory, double seconds, double lossBeforeDivergence) {

    /** One step of the path: parameters before the step and the loss there. */
    public record Point(int step, Params params, double loss) {
    }
}
