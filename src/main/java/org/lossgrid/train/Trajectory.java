package org.lossgrid.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every {@code stride}-th point of a path, doubling the stride (and dropping every other
 * point) whenever more than {@code limit} are held. The first point is always kept; the caller adds
 * the last.
 */
final class Trajectory {
    private final int limit;
    private final List<TrainResult.Point> points = new ArrayList<>();
    private int stride = 1;

    Trajectory(int limit) {
        this.limit = Math.max(2, limit);
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
        if (points.size() > limit) {
            stride *= 2;
            points.removeIf(p -> p.step() % stride != 0);
        }
    }

    List<TrainResult.Point> finish(TrainResult.Point last) {
        List<TrainResult.Point> all = new ArrayList<>(points);
        if (all.isEmpty() || all.get(all.size() - 1).step() != last.step()) {
            all.add(last);
        }
        return all;
    }
}
