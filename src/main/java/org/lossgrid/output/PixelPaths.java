package org.lossgrid.output;

import java.awt.Shape;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;

/** Paths in screen coordinates with the points a pixel cannot show left out, so that long paths draw fast. */
final class PixelPaths {
    private PixelPaths() {
    }

    /**
     * {@code shape}'s polylines without the points closer than {@code pixels} to the last one kept; the
     * last point of every polyline stays, so that ends do not move. Curves are flattened first.
     */
    static Path2D thin(Shape shape, double pixels) {
        double tolerance = pixels * pixels;
        Path2D.Double thinned = new Path2D.Double();
        double[] at = new double[6];
        double keptX = 0;
        double keptY = 0;
        double lastX = 0;
        double lastY = 0;
        boolean pending = false;
        for (PathIterator it = shape.getPathIterator(null, pixels); !it.isDone(); it.next()) {
            int type = it.currentSegment(at);
            if (type == PathIterator.SEG_MOVETO) {
                if (pending) {
                    thinned.lineTo(lastX, lastY);
                }
                thinned.moveTo(at[0], at[1]);
                keptX = lastX = at[0];
                keptY = lastY = at[1];
                pending = false;
            } else if (type == PathIterator.SEG_LINETO) {
                lastX = at[0];
                lastY = at[1];
                double dx = lastX - keptX;
                double dy = lastY - keptY;
                if (dx * dx + dy * dy >= tolerance) {
                    thinned.lineTo(lastX, lastY);
                    keptX = lastX;
                    keptY = lastY;
                    pending = false;
                } else {
                    pending = true;
                }
            } else if (type == PathIterator.SEG_CLOSE) {
                if (pending) {
                    thinned.lineTo(lastX, lastY);
                    pending = false;
                }
                thinned.closePath();
            }
        }
        if (pending) {
            thinned.lineTo(lastX, lastY);
        }
        return thinned;
    }
}
