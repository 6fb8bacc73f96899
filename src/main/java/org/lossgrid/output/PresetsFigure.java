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

    private PresetsFigure() {
    }

    /** One panel: its title (two lines at most, split at a newline) and its path as (u, v) points, one per step. */
    public record Panel(String title, List<double[]> path) {
    }

    /** The whole experiment at every step (as GIF frames) or at the end (frames = 1, as a PNG). */
    public static List<BufferedImage> frames(SurfacePlot surface, String title, List<String> rows, List<List<Panel>> panels,
            FigureText text, int frames) {
        SurfacePlot.Rendered base = surface.render(PANEL_WIDTH, PANEL_HEIGHT);
        int columns = panels.get(0).size();
        int steps = 0;
        for (List<Panel> row : panels) {
            for (Panel panel : row) {
                steps = Math.max(steps, panel.path().size() - 1);
            }
        }
        List<BufferedImage> images = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            int step = frames == 1 ? steps : (int) Math.round((double) steps * f / (frames - 1));
            BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, HEADER + rows.size() * (ROW_LABEL + PANEL_HEIGHT + CAPTION),
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(text.font(Font.BOLD, 17));
            g.drawString(title + "   " + text.get("gif.step", Integer.toString(step)), 12, 28);
            for (int r = 0; r < rows.size(); r++) {
                int y0 = HEADER + r * (ROW_LABEL + PANEL_HEIGHT + CAPTION);
                g.setColor(Color.DARK_GRAY);
                g.setFont(text.font(Font.BOLD, 15));
                g.drawString(rows.get(r), 12, y0 + 20);
                for (int c = 0; c < columns; c++) {
                    Panel panel = panels.get(r).get(c);
                    int x0 = c * PANEL_WIDTH;
                    int top = y0 + ROW_LABEL;
                    g.drawImage(base.image(), x0, top, null);
                    drawPath(g, base, panel.path(), Math.min(step, panel.path().size() - 1), x0, top);
                    g.setColor(Color.BLACK);
                    g.setFont(text.font(Font.PLAIN, 13));
                    String[] caption = panel.title().split("\n", 2);
                    for (int line = 0; line < caption.length; line++) {
                        g.drawString(caption[line], x0 + 10, top + PANEL_HEIGHT + 18 + 18 * line);
                    }
                }
            }
            g.dispose();
            images.add(image);
        }
        return images;
    }

    private static void drawPath(Graphics2D g, SurfacePlot.Rendered base, List<double[]> path, int upTo, int x0, int y0) {
        java.awt.Shape clip = g.getClip();
        g.clip(new java.awt.geom.Rectangle2D.Double(x0 + base.area().getX(), y0 + base.area().getY(), base.area().getWidth(),
                base.area().getHeight()));
        Path2D.Double line = new Path2D.Double();
        Point2D.Double last = null;
        for (int i = 0; i <= upTo; i++) {
            double[] p = path.get(i);
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1]) || Math.abs(p[0]) > 1e12 || Math.abs(p[1]) > 1e15) {
                break;
            }
            Point2D.Double at = base.pixel(p[0], p[1]);
            at = new Point2D.Double(at.x + x0, at.y + y0);
            if (last == null) {
                line.moveTo(at.x, at.y);
            } else {
                line.lineTo(at.x, at.y);
            }
            last = at;
        }
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1.6f));
        g.draw(line);
        if (last != null) {
            g.setColor(LessonCharts.RED);
            g.fill(new Ellipse2D.Double(last.x - 4, last.y - 4, 8, 8));
        }
        g.setClip(clip);
    }
}
