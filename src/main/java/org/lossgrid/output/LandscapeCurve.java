package org.lossgrid.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.lossgrid.surface.Axis;

/**
 * A 1-D loss landscape L(theta* + alpha d1) in the style of the lesson's charts: the curve, theta* at
 * alpha = 0 and the local minima of the grid marked, counted in the legend.
 */
public final class LandscapeCurve {
    private static final int HEIGHT = 560;

    private LandscapeCurve() {
    }

    /** loss[c] at alpha.value(c); minima are (alpha, loss) points, {@code minimaCount} all that were found. */
    public static byte[] png(FigureText text, String title, Axis alpha, float[] loss, double centreLoss,
            List<double[]> minima, long minimaCount) {
        XYSeries curve = new XYSeries(text.get("curve.loss"));
        for (int c = 0; c < alpha.n(); c++) {
            if (Float.isFinite(loss[c])) {
                curve.add(alpha.value(c), loss[c]);
            }
        }
        XYSeries lows = new XYSeries(text.get("landscape.curve.minima", minimaCount));
        for (double[] m : minima) {
            lows.add(m[0], m[1]);
        }
        XYSeries centre = new XYSeries(text.get("landscape.curve.centre"));
        if (alpha.min() <= 0 && 0 <= alpha.max()) {
            centre.add(0, centreLoss);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(curve);
        data.addSeries(lows);
        data.addSeries(centre);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, true);
        renderer.setSeriesShapesVisible(0, false);
        renderer.setSeriesPaint(0, LessonCharts.BLUE);
        renderer.setSeriesStroke(0, new BasicStroke(2.2f));
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesShape(1, new Ellipse2D.Double(-5, -5, 10, 10));
        renderer.setSeriesPaint(1, LessonCharts.RED);
        renderer.setSeriesLinesVisible(2, false);
        Path2D.Double plus = new Path2D.Double();
        plus.append(new Line2D.Double(-8, 0, 8, 0), false);
        plus.append(new Line2D.Double(0, -8, 0, 8), false);
        renderer.setSeriesShape(2, new BasicStroke(3f).createStrokedShape(plus));
        renderer.setSeriesPaint(2, Color.BLACK);
        NumberAxis x = new NumberAxis("\u03b1");
        x.setAutoRangeIncludesZero(false);
        x.setLabelFont(text.font(Font.BOLD, 14));
        if (alpha.max() > alpha.min()) {
            x.setRange(alpha.min(), alpha.max());
        }
        NumberAxis y = new NumberAxis(text.get("curve.loss"));
        y.setAutoRangeIncludesZero(false);
        y.setLabelFont(text.font(Font.BOLD, 14));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        LessonCharts.style(plot);
        JFreeChart chart = LessonCharts.chart(text, title, plot, true);
        return LessonCharts.png(chart.createBufferedImage(960, HEIGHT));
    }
}
