package org.lossgrid.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient descent on the error surface as an animated GIF: the surface is rendered once, and each frame
 * draws the path so far over it, the current point, the step -eta grad L that leaves it (as an arrow),
 * and a box with the step counter and the current loss.
 */
public final class DescentAnimation {
    /** Frames at most, the start and the end among them. */
    public static final int MAX_FRAMES = 120;
    /** Hundredths of a second per frame, and for the last frame, which holds. */
    public static final int DELAY = 6;
    public static final int HOLD = 250;

    private static final int WIDTH = 720;
    private static final int HEIGHT = 580;

    private DescentAnimation() {
    }

    /** A point of the path: step, parameters (u, v) on the surface's axes, and the loss there. */
    public record Point(int step, double u, double v, double loss) {
    }

    /** The frames' delays, for {@code frames} frames. */
    public static int[] delays(int frames) {
        int[] delays = new int[frames];
        java.util.Arrays.fill(delays, DELAY);
        delays[frames - 1] = HOLD;
        return delays;
    }

    /**
     * Which path points become frames: at most MAX_FRAMES, the first and the last among them, at equal
     * distances along the path as drawn ({@code lengths[i]}: pixels travelled up to point i), so that the
     * animation moves evenly however the steps shrink.
     */
    public static List<Integer> frameIndices(double[] lengths) {
        int points = lengths.length;
        List<Integer> indices = new ArrayList<>();
        indices.add(0);
        double total = lengths[points - 1];
        int frames = Math.min(MAX_FRAMES, points);
        int next = 1;
        for (int f = 1; f < frames - 1 && total > 0; f++) {
            double target = total * f / (frames - 1);
            while (next < points - 1 && lengths[next] < target) {
                next++;
            }
            if (next > indices.get(indices.size() - 1) && next < points - 1) {
                indices.add(next);
            }
        }
        if (points > 1) {
            indices.add(points - 1);
        }
        return indices;
    }

    /** The step and loss box, in pixels. */
    private static final int LABEL_WIDTH = 190;
    private static final int LABEL_HEIGHT = 46;

    /** The animation as GIF bytes; {@code surface} is drawn without a path (the frames add it). */
    public static byte[] gif(SurfacePlot surface, List<Point> path, FigureText text) {
        SurfacePlot.Rendered base = surface.render(WIDTH, HEIGHT);
        double[] lengths = new double[path.size()];
        for (int i = 1; i < lengths.length; i++) {
            Point2D.Double a = base.pixel(path.get(i - 1).u(), path.get(i - 1).v());
            Point2D.Double b = base.pixel(path.get(i).u(), path.get(i).v());
            double step = Math.hypot(b.x - a.x, b.y - a.y);
            lengths[i] = lengths[i - 1] + (Double.isFinite(step) ? step : 0);
        }
        List<Integer> indices = frameIndices(lengths);
        BufferedImage trail = copy(base.image());
        List<BufferedImage> frames = new ArrayList<>();
        int drawn = 0;
        java.awt.Point corner = labelCorner(base, path);
        for (int index : indices) {
            extendTrail(trail, base, path, drawn, index);
            drawn = index;
            frames.add(frame(trail, base, path, index, text, corner));
        }
        return Gif.encode(frames, delays(frames.size()));
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }

    /** Draws the path from point {@code from} to point {@code to} onto the trail, which keeps what earlier frames drew. */
    private static void extendTrail(BufferedImage trail, SurfacePlot.Rendered base, List<Point> path, int from, int to) {
        if (to <= from) {
            return;
        }
        Path2D.Double line = new Path2D.Double();
        for (int i = from; i <= to; i++) {
            Point2D.Double at = base.pixel(path.get(i).u(), path.get(i).v());
            if (i == from) {
                line.moveTo(at.x, at.y);
            } else {
                line.lineTo(at.x, at.y);
            }
        }
        Graphics2D g = trail.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.clip(base.area());
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(PixelPaths.thin(line, 0.5));
        g.dispose();
    }

    /** Where the step and loss box goes: the corner of the plot area that the path comes least near. */
    private static java.awt.Point labelCorner(SurfacePlot.Rendered base, List<Point> path) {
        java.awt.geom.Rectangle2D area = base.area();
        java.awt.Point best = null;
        int fewest = Integer.MAX_VALUE;
        for (int corner = 0; corner < 4; corner++) {
            int x = (int) (corner % 2 == 0 ? area.getX() + 10 : area.getMaxX() - 10 - LABEL_WIDTH);
            int y = (int) (corner < 2 ? area.getY() + 10 : area.getMaxY() - 10 - LABEL_HEIGHT);
            java.awt.Rectangle box = new java.awt.Rectangle(x - 12, y - 12, LABEL_WIDTH + 24, LABEL_HEIGHT + 24);
            int near = 0;
            for (Point p : path) {
                Point2D.Double at = base.pixel(p.u(), p.v());
                near += box.contains(at) ? 1 : 0;
            }
            if (near < fewest) {
                fewest = near;
                best = new java.awt.Point(x, y);
            }
        }
        return best;
    }

    /** The trail so far, with the current point, the next step as an arrow, and the step counter and loss. */
    private static BufferedImage frame(BufferedImage trail, SurfacePlot.Rendered base, List<Point> path, int index,
            FigureText text, java.awt.Point corner) {
        BufferedImage image = copy(trail);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.clip(base.area());
        Point2D.Double now = base.pixel(path.get(index).u(), path.get(index).v());
        if (index + 1 < path.size()) {
            Point2D.Double next = base.pixel(path.get(index + 1).u(), path.get(index + 1).v());
            arrow(g, now, next);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(3f));
        g.draw(new Ellipse2D.Double(now.x - 6, now.y - 6, 12, 12));
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(2f));
        g.draw(new Ellipse2D.Double(now.x - 6, now.y - 6, 12, 12));
        g.setClip(null);
        Point p = path.get(index);
        String[] lines = {text.get("gif.step", Integer.toString(p.step())),
            text.get("gif.loss", SurfacePlot.format(p.loss()))};
        g.setFont(text.font(Font.BOLD, 14));
        int x = corner.x;
        int y = corner.y;
        g.setColor(Color.WHITE);
        g.fillRect(x, y, LABEL_WIDTH, LABEL_HEIGHT);
        g.setColor(Color.BLACK);
        g.drawString(lines[0], x + 8, y + 19);
        g.drawString(lines[1], x + 8, y + 38);
        g.dispose();
        return image;
    }

    /** The step -eta grad L as an arrow from {@code from} to {@code to}, with a head unless it is too short to draw. */
    private static void arrow(Graphics2D g, Point2D.Double from, Point2D.Double to) {
        double dx = to.x - from.x;
        double dy = to.y - from.y;
        double length = Math.hypot(dx, dy);
        g.setColor(LessonCharts.RED);
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new Line2D.Double(from, to));
        if (length > 4) {
            double ux = dx / length;
            double uy = dy / length;
            double head = Math.min(10, length / 2);
            Path2D.Double tip = new Path2D.Double();
            tip.moveTo(to.x, to.y);
            tip.lineTo(to.x - head * ux + head * 0.5 * uy, to.y - head * uy - head * 0.5 * ux);
            tip.lineTo(to.x - head * ux - head * 0.5 * uy, to.y - head * uy + head * 0.5 * ux);
            tip.closePath();
            g.fill(tip);
        }
    }
}
