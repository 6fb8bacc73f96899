package org.lossgrid.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.lossgrid.surface.GridSpec;

/**
 * Draws an error surface as the book does: a heatmap from blue (low loss) to red (high), contour
 * lines, a colour bar, labelled axes, the grid's argmin and optionally a gradient-descent path.
 * Colours are linear in the loss, or logarithmic ({@code logColors}) for losses such as MSE whose
 * range spans decades; contour levels are spaced geometrically so they crowd towards the minimum.
 */
public final class SurfacePlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 720;
    private static final int CONTOURS = 14;
    /** Grid points whose loss is not finite (it overflowed float32) are drawn in this grey. */
    private static final Color MASKED = new Color(128, 128, 128);

    private final float[] values;
    private final GridSpec grid;
    private final String horizontalLabel;
    private final String verticalLabel;
    private final String title;
    private final boolean logColors;
    private double[] argmin;
    private final List<double[]> path = new ArrayList<>();
    private final List<double[]> marks = new ArrayList<>();

    public SurfacePlot(float[] values, GridSpec grid, String horizontalLabel, String verticalLabel, String title,
            boolean logColors) {
        this.values = values;
        this.grid = grid;
        this.horizontalLabel = horizontalLabel;
        this.verticalLabel = verticalLabel;
        this.title = title;
        this.logColors = logColors;
    }

    /** Marks the grid's lowest point. */
    public SurfacePlot argmin(double u, double v) {
        this.argmin = new double[] {u, v};
        return this;
    }

    /** A path of (u, v) points, drawn as a line from a circle (start) to a square (end). */
    public SurfacePlot path(List<double[]> points) {
        path.clear();
        path.addAll(points);
        return this;
    }

    /** A labelled point such as the exact optimum. */
    public SurfacePlot mark(double u, double v) {
        marks.add(new double[] {u, v});
        return this;
    }

    public void write(Path target) {
        AtomicOutput.write(target, png());
    }

    /** The picture as PNG bytes. */
    public byte[] png() {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(), "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    public BufferedImage render() {
        double[] range = range();
        Scale scale = new Scale(range[0], range[1], logColors && range[0] > 0);
        NumberAxis xAxis = axis(horizontalLabel, grid.horizontal().min(), grid.horizontal().max());
        NumberAxis yAxis = axis(verticalLabel, grid.vertical().min(), grid.vertical().max());
        XYPlot plot = new XYPlot(null, xAxis, yAxis, null);
        plot.setNoDataMessage(null);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.addAnnotation(new Heatmap(heatmap(scale)));
        plot.addAnnotation(new Lines(contours(scale), new Color(255, 255, 255, 150), new BasicStroke(1f)));
        if (path.size() > 1) {
            plot.addAnnotation(new Lines(pathShape(), Color.WHITE, new BasicStroke(2.2f)));
            plot.addAnnotation(new Marker(path.get(0), new Ellipse2D.Double(-6, -6, 12, 12), Color.WHITE));
            plot.addAnnotation(new Marker(path.get(path.size() - 1), new Rectangle2D.Double(-5, -5, 10, 10), Color.WHITE));
        }
        for (double[] mark : marks) {
            plot.addAnnotation(new Marker(mark, cross(7), Color.BLACK));
        }
        if (argmin != null) {
            plot.addAnnotation(new Marker(argmin, cross(6), Color.WHITE));
        }
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.addSubtitle(legend(scale));
        if (argmin != null) {
            String legend = path.size() > 1 ? "path from circle (start) to square (end); black x: exact optimum; " : "";
            TextTitle note = new TextTitle(String.format(java.util.Locale.ROOT,
                    "%slowest grid point (white x): %s = %.4g, %s = %.4g", legend, horizontalLabel, argmin[0], verticalLabel, argmin[1]),
                    new Font("SansSerif", Font.PLAIN, 12));
            note.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(note);
        }
        return chart.createBufferedImage(WIDTH, HEIGHT);
    }

    private static NumberAxis axis(String label, double min, double max) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        axis.setLabelFont(new Font("SansSerif", Font.BOLD, 14));
        if (max > min) {
            axis.setRange(min, max);
        } else {
            axis.setRange(min - 0.5, min + 0.5);
        }
        return axis;
    }

    private double[] range() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return new double[] {0, 1};
        }
        if (!(hi > lo)) {
            hi = lo + Math.max(1e-12, Math.abs(lo) * 1e-6);
        }
        return new double[] {lo, hi};
    }

    private BufferedImage heatmap(Scale scale) {
        int columns = grid.columns();
        int rows = grid.rows();
        BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                float v = values[r * columns + c];
                image.setRGB(c, rows - 1 - r, Float.isFinite(v) ? ColorMap.rgb(scale.fraction(v)) : MASKED.getRGB());
            }
        }
        return image;
    }

    private Path2D contours(Scale scale) {
        Path2D.Double all = new Path2D.Double();
        if (grid.rows() < 2 || grid.columns() < 2) {
            return all;
        }
        for (int l = 1; l <= CONTOURS; l++) {
            double level = scale.level((double) l / (CONTOURS + 1));
            all.append(Contours.segments(values, grid, level), false);
        }
        return all;
    }

    private Path2D pathShape() {
        Path2D.Double shape = new Path2D.Double();
        shape.moveTo(path.get(0)[0], path.get(0)[1]);
        for (int i = 1; i < path.size(); i++) {
            shape.lineTo(path.get(i)[0], path.get(i)[1]);
        }
        return shape;
    }

    private static Shape cross(double size) {
        Path2D.Double cross = new Path2D.Double();
        cross.append(new Line2D.Double(-size, -size, size, size), false);
        cross.append(new Line2D.Double(-size, size, size, -size), false);
        return cross;
    }

    private PaintScaleLegend legend(Scale scale) {
        ValueAxis axis;
        if (scale.log) {
            LogAxis log = SweepPlot.decades("loss (log scale)", new java.text.DecimalFormat("0.##E0"));
            log.setRange(scale.lo, scale.hi);
            axis = log;
        } else {
            NumberAxis linear = new NumberAxis("loss");
            linear.setAutoRangeIncludesZero(false);
            linear.setRange(scale.lo, scale.hi);
            axis = linear;
        }
        PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(18);
        legend.setMargin(new RectangleInsets(10, 12, 10, 4));
        legend.setSubdivisionCount(4096);
        return legend;
    }

    /** Maps a loss to [0, 1] for the colour map, linearly or logarithmically. */
    private static final class Scale implements PaintScale {
        private final double lo;
        private final double hi;
        private final boolean log;

        Scale(double lo, double hi, boolean log) {
            this.lo = lo;
            this.hi = hi;
            this.log = log;
        }

        /** t = (v - lo) / (hi - lo), or the same of log v */
        double fraction(double v) {
            return log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
        }

        /** The contour level at fraction f of the way up, geometric in (v - lo). */
        double level(double f) {
            if (log) {
                return lo * Math.pow(hi / lo, f);
            }
            double span = hi - lo;
            return lo + span * (Math.pow(1001, f) - 1) / 1000;
        }

        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public Paint getPaint(double value) {
            return ColorMap.color(fraction(value));
        }
    }

    /** The heatmap image stretched over the data area. */
    private final class Heatmap extends AbstractXYAnnotation {
        private final transient BufferedImage image;

        Heatmap(BufferedImage image) {
            this.image = image;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range, int index,
                PlotRenderingInfo info) {
            Object old = g2.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g2.drawImage(image, (int) Math.round(area.getX()), (int) Math.round(area.getY()),
                    (int) Math.round(area.getWidth()), (int) Math.round(area.getHeight()), null);
            if (old != null) {
                g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, old);
            }
        }
    }

    /** Shapes in parameter coordinates, stroked in screen coordinates. */
    private static final class Lines extends AbstractXYAnnotation {
        private final transient Path2D shape;
        private final transient Color color;
        private final transient BasicStroke stroke;

        Lines(Path2D shape, Color color, BasicStroke stroke) {
            this.shape = shape;
            this.color = color;
            this.stroke = stroke;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range, int index,
                PlotRenderingInfo info) {
            double x0 = domain.valueToJava2D(domain.getLowerBound(), area, plot.getDomainAxisEdge());
            double x1 = domain.valueToJava2D(domain.getUpperBound(), area, plot.getDomainAxisEdge());
            double y0 = range.valueToJava2D(range.getLowerBound(), area, plot.getRangeAxisEdge());
            double y1 = range.valueToJava2D(range.getUpperBound(), area, plot.getRangeAxisEdge());
            AffineTransform toScreen = new AffineTransform();
            toScreen.translate(x0, y0);
            toScreen.scale((x1 - x0) / (domain.getUpperBound() - domain.getLowerBound()),
                    (y1 - y0) / (range.getUpperBound() - range.getLowerBound()));
            toScreen.translate(-domain.getLowerBound(), -range.getLowerBound());
            Shape clip = g2.getClip();
            g2.clip(area);
            g2.setColor(color);
            g2.setStroke(stroke);
            g2.draw(toScreen.createTransformedShape(shape));
            g2.setClip(clip);
        }
    }

    /** A marker shape centred on a parameter point, with a contrasting outline. */
    private static final class Marker extends AbstractXYAnnotation {
        private final double[] point;
        private final transient Shape shape;
        private final transient Color color;

        Marker(double[] point, Shape shape, Color color) {
            this.point = point;
            this.shape = shape;
            this.color = color;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range, int index,
                PlotRenderingInfo info) {
            double x = domain.valueToJava2D(point[0], area, plot.getDomainAxisEdge());
            double y = range.valueToJava2D(point[1], area, plot.getRangeAxisEdge());
            Shape placed = AffineTransform.getTranslateInstance(x, y).createTransformedShape(shape);
            g2.setStroke(new BasicStroke(4f));
            g2.setColor(color == Color.WHITE ? Color.BLACK : Color.WHITE);
            g2.draw(placed);
            g2.setStroke(new BasicStroke(2f));
            g2.setColor(color);
            g2.draw(placed);
        }
    }
}
