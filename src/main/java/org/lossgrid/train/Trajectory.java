package org.lossgrid.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every {@code every}-th step of a path (step 0 among them); the caller adds the last.
 */
final class Trajectory {
    private final List<TrainResult.Point> points = new ArrayList<>();
    private final int stride;

    Trajectory(int every) {
        this.stride = Math.max(1, every);
    }

    /** Whether step would be kept, so that callers build a point only when it is. */
    boolean wants(int step) {
        return step % stride == 0;
    }

    void offer(TrainResult.Point point) {
        if (!wants(point.step())) {
            return;
        }
        points.add(point);
    }

    List<TrainResult.Point> finish(TrainResult.Point last) {
        List<TrainResult.Point> all = new ArrayList<>(points);
        if (all.isEmpty() || all.get(all.size() - 1).step() != last.step()) {
            all.add(last);
        }
        return all;
    }
}
