package org.lossgrid.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Final loss against learning rate for a sweep, both axes logarithmic; diverged runs drawn as red crosses at the top. */
public final class SweepPlot {
    private SweepPlot() {
    }

    /** A log axis with a tick at every power of ten, labelled in plain numbers. */
    static LogAxis decades(String label, DecimalFormat format) {
        LogAxis axis = new LogAxis(label);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(format);
        return axis;
    }

    public static void write(Path target, String title, double[] rates, double[] losses, boolean[] diverged) {
        AtomicOutput.write(target, png(title, rates, losses, diverged));
    }

    /** The plot as PNG bytes. */
    public static byte[] png(String title, double[] rates, double[] losses, boolean[] diverged) {
        XYSeries ok = new XYSeries("final training loss");
        XYSeries bad = new XYSeries("diverged");
        double top = Double.MIN_VALUE;
        double bottom = Double.MAX_VALUE;
        for (int i = 0; i < rates.length; i++) {
            if (!diverged[i] && Double.isFinite(losses[i]) && losses[i] > 0) {
                top = Math.max(top, losses[i]);
                bottom = Math.min(bottom, losses[i]);
            }
        }
        if (top < bottom) {
            top = 1;
            bottom = 0.1;
        }
        for (int i = 0; i < rates.length; i++) {
            if (diverged[i] || !Double.isFinite(losses[i]) || losses[i] <= 0) {
                bad.add(rates[i], top * 2);
            } else {
                ok.add(rates[i], losses[i]);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(ok);
        data.addSeries(bad);
        LogAxis x = decades("learning rate", new DecimalFormat("0.#####"));
        LogAxis y = decades("final training loss", new DecimalFormat("0.##E0"));
        y.setRange(bottom / 1.5, top * 3);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesPaint(0, new Color(31, 90, 180));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        Path2D.Double cross = new Path2D.Double();
        cross.moveTo(-5, -5);
        cross.lineTo(5, 5);
        cross.moveTo(-5, 5);
        cross.lineTo(5, -5);
        renderer.setSeriesPaint(1, new Color(200, 30, 30));
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesShape(1, cross);
        renderer.setSeriesShapesFilled(1, false);
        renderer.setSeriesStroke(1, new BasicStroke(2.5f));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(chart.createBufferedImage(900, 600), "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
