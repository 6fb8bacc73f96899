package org.lossgrid.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.text.DecimalFormat;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A learning-rate sweep: the final training loss and the steps each run took against the learning
 * rate (log scale). Runs that diverged have no final loss; they are red triangles on the top edge of
 * the loss panel, and their steps say when they diverged.
 */
public final class SweepPlot {
    private static final Color DIVERGED = new Color(200, 30, 30);

    private SweepPlot() {
    }

    /** One run of the sweep: its rate, final loss (NaN when it diverged), steps, and how it ended. */
    public record Run(double learningRate, double loss, int steps, boolean converged, boolean diverged) {
    }

    /** The plot as PNG bytes, titled with what happened: how many runs converged, ran out of steps and diverged. */
    public static byte[] png(FigureText text, String what, int maxSteps, java.util.List<Run> runs) {
        XYSeries finished = new XYSeries(text.get("sweep.finished"));
        XYSeries blewUp = new XYSeries(text.get("sweep.diverged"));
        XYSeries steps = new XYSeries(text.get("sweep.steps.finished"));
        XYSeries stepsBlewUp = new XYSeries(text.get("sweep.steps.diverged"));
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int converged = 0;
        int diverged = 0;
        for (Run run : runs) {
            if (!run.diverged() && Double.isFinite(run.loss())) {
                lo = Math.min(lo, run.loss());
                hi = Math.max(hi, run.loss());
            }
            converged += run.converged() ? 1 : 0;
            diverged += run.diverged() ? 1 : 0;
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        double pad = Math.max(hi - lo, 1e-3 * Math.max(Math.abs(hi), 1e-300)) * 0.15;
        double top = hi + 2 * pad;
        for (Run run : runs) {
            boolean bad = run.diverged() || !Double.isFinite(run.loss());
            (bad ? blewUp : finished).add(run.learningRate(), bad ? top : run.loss());
            (bad ? stepsBlewUp : steps).add(run.learningRate(), Math.max(1, run.steps()));
        }
        LogAxis rates = new LogAxis(text.get("sweep.lr"));
        rates.setTickUnit(new NumberTickUnit(1));
        rates.setNumberFormatOverride(new DecimalFormat("0.#####"));
        rates.setLabelFont(text.font(Font.BOLD, 13));
        NumberAxis loss = new NumberAxis(text.get("sweep.loss"));
        loss.setRange(lo - pad, top + 0.6 * pad);
        loss.setAutoRangeIncludesZero(false);
        loss.setLabelFont(text.font(Font.BOLD, 13));
        LogAxis stepAxis = new LogAxis(text.get("sweep.steps"));
        stepAxis.setTickUnit(new NumberTickUnit(1));
        stepAxis.setNumberFormatOverride(new DecimalFormat("#,##0"));
        stepAxis.setLabelFont(text.font(Font.BOLD, 13));
        stepAxis.setLowerBound(0.7);
        stepAxis.setUpperBound(maxSteps * 2.0);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(rates);
        plot.setGap(14);
        plot.add(panel(new XYSeriesCollection(finished), blewUp, loss), 3);
        plot.add(panel(new XYSeriesCollection(steps), stepsBlewUp, stepAxis), 2);
        String title = text.get("sweep.title", what, runs.size(), converged, runs.size() - converged - diverged, diverged,
                maxSteps);
        JFreeChart chart = new JFreeChart(title, text.font(Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(text.font(Font.PLAIN, 12));
        return Png.encode(chart.createBufferedImage(900, 680));
    }

    /** One panel: the runs that finished as a blue line, those that diverged as red triangles. */
    private static XYPlot panel(XYSeriesCollection data, XYSeries diverged, org.jfree.chart.axis.ValueAxis axis) {
        data.addSeries(diverged);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesPaint(0, LessonCharts.BLUE);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        Path2D.Double triangle = new Path2D.Double();
        triangle.moveTo(0, -7);
        triangle.lineTo(6, 5);
        triangle.lineTo(-6, 5);
        triangle.closePath();
        renderer.setSeriesPaint(1, DIVERGED);
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesShape(1, triangle);
        renderer.setSeriesShapesFilled(1, true);
        XYPlot panel = new XYPlot(data, null, axis, renderer);
        LessonCharts.style(panel);
        return panel;
    }
}
