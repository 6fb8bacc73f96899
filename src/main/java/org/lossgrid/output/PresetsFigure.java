package org.lossgrid.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning-rate experiments side by side: one row of panels per set of units, one panel per
 * learning rate, every panel the same error surface with its run's path from the same start. As a GIF
 * all paths advance together, step by step; as a PNG they are drawn whole.
 */
public final class PresetsFigure {
    private static final int PANEL_WIDTH = 330;
    private static final int PANEL_HEIGHT = 290;
    private static final int CAPTION = 44;
    private static final int HEADER = 44;
    private static final int ROW_LABEL = 28;

    /** Hundredths of a second per GIF frame, and on the last one before the animation loops. */
    static final int DELAY = 12;
    static final int HOLD = 300;

    private final SurfacePlot surface;
    private final String title;
    private final List<String> rows;
    private final List<List<Panel>> panels;
    private final FigureText text;

    /** One row of panels per entry of {@code rows}, each over {@code surface}; drawing needs no backend, on any thread. */
    public PresetsFigure(SurfacePlot surface, String title, List<String> rows, List<List<Panel>> panels, FigureText text) {
        this.surface = surface;
        this.title = title;
        this.rows = List.copyOf(rows);
        this.panels = List.copyOf(panels);
        this.text = text;
    }

    /** The animation: at most {@code maxFrames} frames at equal steps through the runs, the last one held. */
    public byte[] gif(int maxFrames) {
        List<BufferedImage> images = frames(Math.min(maxFrames, steps() + 1));
        int[] delays = new int[images.size()];
        java.util.Arrays.fill(delays, DELAY);
        delays[delays.length - 1] = HOLD;
        return Gif.encode(images, delays);
    }

    /** The whole runs in one picture. */
    public byte[] png() {
        return LessonCharts.png(frames(1).get(0));
    }

    /** The most steps any run took. */
    private int steps() {
        int steps = 0;
        for (List<Panel> row : panels) {
            for (Panel panel : row) {
                steps = Math.max(steps, panel.path().size() - 1);
            }
        }
        return steps;
    }

    /** One panel: its title (two lines at most, split at a newline) and its path as (u, v) points, one per step. */
    public record Panel(String title, List<double[]> path) {
    }

    /** The whole experiment at every step (as GIF frames) or at the end (frames = 1, as a PNG). */
    List<BufferedImage> frames(int frames) {
        SurfacePlot.Rendered base = surface.render(PANEL_WIDTH, PANEL_HEIGHT);
        int columns = panels.get(0).size();
        int steps = steps();
        int width = columns * PANEL_WIDTH;
        BufferedImage background = new BufferedImage(width, HEADER + rows.size() * (ROW_LABEL + PANEL_HEIGHT + CAPTION),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(background);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, background.getWidth(), background.getHeight());
        for (int r = 0; r < rows.size(); r++) {
            int y0 = HEADER + r * (ROW_LABEL + PANEL_HEIGHT + CAPTION);
            g.setColor(Color.DARK_GRAY);
            g.setFont(text.font(Font.BOLD, 15));
            g.drawString(rows.get(r), 12, y0 + 20);
            for (int c = 0; c < columns; c++) {
                int top = y0 + ROW_LABEL;
                g.drawImage(base.image(), c * PANEL_WIDTH, top, null);
                g.setColor(Color.BLACK);
                g.setFont(text.font(Font.PLAIN, 13));
                String[] caption = panels.get(r).get(c).title().split("\n", 2);
                for (int line = 0; line < caption.length; line++) {
                    g.drawString(caption[line], c * PANEL_WIDTH + 10, top + PANEL_HEIGHT + 18 + 18 * line);
                }
            }
        }
        g.dispose();
        List<BufferedImage> images = new ArrayList<>();
        int drawn = 0;
        for (int f = 0; f < frames; f++) {
            int step = frames == 1 ? steps : (int) Math.round((double) steps * f / (frames - 1));
            g = graphics(background);
            for (int r = 0; r < rows.size(); r++) {
                int top = HEADER + r * (ROW_LABEL + PANEL_HEIGHT + CAPTION) + ROW_LABEL;
                for (int c = 0; c < columns; c++) {
                    drawPath(g, base, panels.get(r).get(c).path(), drawn, step, c * PANEL_WIDTH, top);
                }
            }
            g.dispose();
            drawn = step;
            BufferedImage image = new BufferedImage(background.getColorModel(), background.copyData(null), false, null);
            g = graphics(image);
            g.setColor(Color.BLACK);
            g.setFont(text.font(Font.BOLD, 17));
            g.drawString(title + "   " + text.get("gif.step", Integer.toString(step)), 12, 28);
            for (int r = 0; r < rows.size(); r++) {
                int top = HEADER + r * (ROW_LABEL + PANEL_HEIGHT + CAPTION) + ROW_LABEL;
                for (int c = 0; c < columns; c++) {
                    current(g, base, panels.get(r).get(c).path(), step, c * PANEL_WIDTH, top);
                }
            }
            g.dispose();
            images.add(image);
        }
        return images;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    /** Whether a path point can be drawn: finite, and not so far off that the pixel arithmetic loses it. */
    private static boolean drawable(double[] p) {
        return Double.isFinite(p[0]) && Double.isFinite(p[1]) && Math.abs(p[0]) < 1e12 && Math.abs(p[1]) < 1e15;
    }

    /** The path's segments from step {@code from} to step {@code to} (or its last drawable point), clipped to the panel. */
    private static void drawPath(Graphics2D g, SurfacePlot.Rendered base, List<double[]> path, int from, int to, int x0,
            int y0) {
        java.awt.Shape clip = g.getClip();
        g.clip(new java.awt.geom.Rectangle2D.Double(x0 + base.area().getX(), y0 + base.area().getY(), base.area().getWidth(),
                base.area().getHeight()));
        Path2D.Double line = new Path2D.Double();
        for (int i = from; i <= Math.min(to, path.size() - 1) && drawable(path.get(i)); i++) {
            Point2D.Double at = base.pixel(path.get(i)[0], path.get(i)[1]);
            if (i == from) {
                line.moveTo(at.x + x0, at.y + y0);
            } else {
                line.lineTo(at.x + x0, at.y + y0);
            }
        }
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
        g.setClip(clip);
    }

    /** The run's point at {@code step} (or its last drawable one) as a red dot. */
    private static void current(Graphics2D g, SurfacePlot.Rendered base, List<double[]> path, int step, int x0, int y0) {
        int last = -1;
        for (int i = 0; i <= Math.min(step, path.size() - 1) && drawable(path.get(i)); i++) {
            last = i;
        }
        if (last < 0) {
            return;
        }
        java.awt.Shape clip = g.getClip();
        g.clip(new java.awt.geom.Rectangle2D.Double(x0 + base.area().getX(), y0 + base.area().getY(), base.area().getWidth(),
                base.area().getHeight()));
        Point2D.Double at = base.pixel(path.get(last)[0], path.get(last)[1]);
        g.setColor(LessonCharts.RED);
        g.fill(new Ellipse2D.Double(at.x + x0 - 4, at.y + y0 - 4, 8, 8));
        g.setClip(clip);
    }
}
