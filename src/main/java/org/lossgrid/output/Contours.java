package org.lossgrid.output;

import java.awt.geom.Path2D;

import org.lossgrid.surface.GridSpec;

/** Iso-lines of a gridded surface by marching squares, as segments in parameter coordinates. */
public final class Contours {
    private Contours() {
    }

    /** The segments where the bilinear surface crosses {@code level}, one moveTo/lineTo pair each. */
    public static Path2D.Double segments(float[] values, GridSpec grid, double level) {
        Path2D.Double path = new Path2D.Double();
        int columns = grid.columns();
        double[] ex = new double[4];
        double[] ey = new double[4];
        for (int r = 0; r + 1 < grid.rows(); r++) {
            double v0 = grid.vertical().value(r);
            double v1 = grid.vertical().value(r + 1);
            for (int c = 0; c + 1 < columns; c++) {
                double u0 = grid.horizontal().value(c);
                double u1 = grid.horizontal().value(c + 1);
                double a = values[r * columns + c];
                double b = values[r * columns + c + 1];
                double d = values[(r + 1) * columns + c];
                double e = values[(r + 1) * columns + c + 1];
                int found = 0;
                found = edge(a, b, level, u0, v0, u1, v0, ex, ey, found);
                found = edge(b, e, level, u1, v0, u1, v1, ex, ey, found);
                found = edge(e, d, level, u1, v1, u0, v1, ex, ey, found);
                found = edge(d, a, level, u0, v1, u0, v0, ex, ey, found);
                for (int s = 0; s + 1 < found; s += 2) {
                    path.moveTo(ex[s], ey[s]);
                    path.lineTo(ex[s + 1], ey[s + 1]);
                }
            }
        }
        return path;
    }

    /** Adds the crossing point of edge (p -> q) with the level by linear interpolation, if any. */
    private static int edge(double p, double q, double level, double x0, double y0, double x1, double y1,
            double[] ex, double[] ey, int found) {
        if ((p < level) == (q < level) || found >= 4) {
            return found;
        }
        double f = (level - p) / (q - p);
        ex[found] = x0 + f * (x1 - x0);
        ey[found] = y0 + f * (y1 - y0);
        return found + 1;
    }

    /** The start of the segment a third of the way along a path of segments, or null if it has none: where a label goes. */
    public static double[] middle(Path2D.Double segments) {
        java.awt.geom.PathIterator it = segments.getPathIterator(null);
        java.util.List<double[]> starts = new java.util.ArrayList<>();
        double[] coords = new double[6];
        while (!it.isDone()) {
            if (it.currentSegment(coords) == java.awt.geom.PathIterator.SEG_MOVETO) {
                starts.add(new double[] {coords[0], coords[1]});
            }
            it.next();
        }
        return starts.isEmpty() ? null : starts.get(starts.size() / 3);
    }
}
