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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.AbstractXYAnnotation;
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
    /** The book's point. */
    private static final Color BOOK = new Color(230, 0, 200);

    private final float[] values;
    private final GridSpec grid;
    private final String horizontalLabel;
    private final String verticalLabel;
    private final String title;
    private final boolean logColors;
    private double[] argmin;
    private final List<double[]> path = new ArrayList<>();
    private double[] optimum;
    private double[] book;
    private double[] centre;
    private final List<double[]> minima = new ArrayList<>();
    private long minimaCount;
    private FigureText figure = FigureText.english();
    private boolean compact;

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

    /** The same picture without its path (an animation draws its own, frame by frame). */
    public SurfacePlot withoutPath() {
        path.clear();
        return this;
    }

    /** The exact optimum, a black diamond. */
    public SurfacePlot optimum(double u, double v) {
        this.optimum = new double[] {u, v};
        return this;
    }

    /** The book's point (w = 0.97, b = 100 for the 1-day model), a labelled magenta triangle. */
    public SurfacePlot book(double u, double v) {
        this.book = new double[] {u, v};
        return this;
    }

    /** A loss landscape's centre theta* (alpha = beta = 0), a black plus with a note. */
    public SurfacePlot centre(double u, double v) {
        this.centre = new double[] {u, v};
        return this;
    }

    /** A landscape's local minima, small black-outlined white circles with a note that counts {@code total}. */
    public SurfacePlot minima(List<double[]> points, long total) {
        minima.clear();
        minima.addAll(points);
        minimaCount = total;
        return this;
    }

    /** A small panel: no colour bar, no notes, no contour labels. */
    public SurfacePlot compact() {
        this.compact = true;
        return this;
    }

    /** The language and font of the labels and notes. */
    public SurfacePlot text(FigureText text) {
        this.figure = text;
        return this;
    }

    public void write(Path target) {
        AtomicOutput.write(target, png());
    }

    /** The picture as PNG bytes. */
    public byte[] png() {
        return Png.encode(render());
    }

    public BufferedImage render() {
        return chart().createBufferedImage(WIDTH, HEIGHT);
    }

    /** The picture at {@code width} x {@code height}, with where its data area lies, to draw on it afterwards. */
    public Rendered render(int width, int height) {
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        BufferedImage image = chart().createBufferedImage(width, height, info);
        return new Rendered(image, info.getPlotInfo().getDataArea(), grid);
    }

    /** A rendered surface and the mapping from parameter values to its pixels. */
    public record Rendered(BufferedImage image, Rectangle2D area, GridSpec grid) {
        /** The pixel of parameter point (u, v). */
        public java.awt.geom.Point2D.Double pixel(double u, double v) {
            double fu = (u - grid.horizontal().min()) / (grid.horizontal().max() - grid.horizontal().min());
            double fv = (v - grid.vertical().min()) / (grid.vertical().max() - grid.vertical().min());
            return new java.awt.geom.Point2D.Double(area.getX() + fu * area.getWidth(), area.getMaxY() - fv * area.getHeight());
        }
    }

    private JFreeChart chart() {
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
        List<double[]> levels = new ArrayList<>();
        plot.addAnnotation(new Lines(contours(scale, levels), new Color(255, 255, 255, 150), new BasicStroke(1f)));
        if (!compact) {
            plot.addAnnotation(new Labels(levels, figure.font(Font.PLAIN, 10)));
        }
        if (path.size() > 1) {
            plot.addAnnotation(new Lines(pathShape(), Color.WHITE, new BasicStroke(2.2f)));
        }
        // larger shapes first, so that a smaller one on the same point stays visible
        if (book != null) {
            plot.addAnnotation(new Marker(book, triangle(9), BOOK, true));
            plot.addAnnotation(new Caption(book, figure.get("surface.book", format(book[0]), format(book[1])), BOOK,
                    figure.font(Font.BOLD, 12)));
        }
        if (path.size() > 1) {
            plot.addAnnotation(new Marker(path.get(0), new Ellipse2D.Double(-7, -7, 14, 14), Color.WHITE, false));
            plot.addAnnotation(new Marker(path.get(path.size() - 1), new Rectangle2D.Double(-5, -5, 10, 10), Color.WHITE, true));
        }
        if (optimum != null) {
            plot.addAnnotation(new Marker(optimum, diamond(7), Color.BLACK, false));
        }
        for (double[] minimum : minima) {
            plot.addAnnotation(new Marker(minimum, new Ellipse2D.Double(-4, -4, 8, 8), Color.WHITE, false));
        }
        if (centre != null) {
            plot.addAnnotation(new Marker(centre, plus(7), Color.BLACK, false));
        }
        if (argmin != null) {
            plot.addAnnotation(new Marker(argmin, cross(4), Color.WHITE, false));
        }
        JFreeChart chart = new JFreeChart(title, figure.font(Font.BOLD, compact ? 13 : 16), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        if (compact) {
            return chart;
        }
        chart.addSubtitle(legend(scale));
        if (argmin != null) {
            List<String> notes = new ArrayList<>();
            if (path.size() > 1) {
                notes.add(figure.get("surface.note.path"));
            }
            if (optimum != null) {
                notes.add(figure.get("surface.note.optimum"));
            }
            if (centre != null) {
                notes.add(figure.get("landscape.note.centre"));
            }
            if (minimaCount > 0) {
                notes.add(figure.get("landscape.note.minima", minimaCount, minima.size()));
            }
            notes.add(figure.get("surface.note.argmin", horizontalLabel, format(argmin[0]), verticalLabel, format(argmin[1])));
            TextTitle note = new TextTitle(String.join(figure.get("surface.note.separator"), notes),
                    figure.font(Font.PLAIN, 12));
            note.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(note);
        }
        return chart;
    }

    private static NumberAxis axis(String label, double min, double max) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
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

    /** The contour lines; {@code labels} receives (u, v, level) of one point on every other line, for its label. */
    private Path2D contours(Scale scale, List<double[]> labels) {
        Path2D.Double all = new Path2D.Double();
        if (grid.rows() < 2 || grid.columns() < 2) {
            return all;
        }
        for (int l = 1; l <= CONTOURS; l++) {
            double level = scale.level((double) l / (CONTOURS + 1));
            Path2D.Double segments = Contours.segments(values, grid, level);
            all.append(segments, false);
            double[] at = l % 2 == 0 ? Contours.middle(segments) : null;
            if (at != null) {
                labels.add(new double[] {at[0], at[1], level});
            }
        }
        return all;
    }

    /** A number in at most 4 significant digits without trailing zeros, as the notes and labels show it: 0.97, 100, 1.76e+03 */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        String text = String.format(java.util.Locale.ROOT, "%.4g", value);
        if (text.contains("e")) {
            return text;
        }
        return new java.math.BigDecimal(text).stripTrailingZeros().toPlainString();
    }

    private static Shape diamond(double size) {
        Path2D.Double diamond = new Path2D.Double();
        diamond.moveTo(0, -size);
        diamond.lineTo(size, 0);
        diamond.lineTo(0, size);
        diamond.lineTo(-size, 0);
        diamond.closePath();
        return diamond;
    }

    private static Shape triangle(double size) {
        Path2D.Double triangle = new Path2D.Double();
        triangle.moveTo(0, -size);
        triangle.lineTo(size * 0.9, size * 0.6);
        triangle.lineTo(-size * 0.9, size * 0.6);
        triangle.closePath();
        return triangle;
    }

    private Path2D pathShape() {
        Path2D.Double shape = new Path2D.Double();
        shape.moveTo(path.get(0)[0], path.get(0)[1]);
        for (int i = 1; i < path.size(); i++) {
            shape.lineTo(path.get(i)[0], path.get(i)[1]);
        }
        return shape;
    }

    private static Shape plus(double size) {
        Path2D.Double plus = new Path2D.Double();
        plus.append(new Line2D.Double(-size, 0, size, 0), false);
        plus.append(new Line2D.Double(0, -size, 0, size), false);
        return plus;
    }

    private static Shape cross(double size) {
        Path2D.Double cross = new Path2D.Double();
        cross.append(new Line2D.Double(-size, -size, size, size), false);
        cross.append(new Line2D.Double(-size, size, size, -size), false);
        return cross;
    }

    /**
     * The colour bar. With logarithmic colours it is drawn in log10 of the loss, where the colours change
     * evenly, with ticks labelled as losses: a legend sampled linearly in the loss itself spends almost
     * all of its strip on the top decade and shows the rest as one flat band.
     */
    private PaintScaleLegend legend(Scale scale) {
        PaintScale paint;
        NumberAxis axis;
        if (scale.log) {
            axis = new NumberAxis(figure.get("surface.loss.log"));
            axis.setRange(Math.log10(scale.lo), Math.log10(scale.hi));
            axis.setNumberFormatOverride(new PowerOfTen());
            double decades = Math.log10(scale.hi / scale.lo);
            axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(decades > 6 ? 1 : decades > 3 ? 0.5 : decades > 1 ? 0.25 : 0.1));
            paint = new Scale(Math.log10(scale.lo), Math.log10(scale.hi), false);
        } else {
            axis = new NumberAxis(figure.get("surface.loss"));
            axis.setRange(scale.lo, scale.hi);
            paint = scale;
        }
        axis.setAutoRangeIncludesZero(false);
        axis.setLabelFont(figure.font(Font.PLAIN, 12));
        PaintScaleLegend legend = new PaintScaleLegend(paint, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(18);
        legend.setMargin(new RectangleInsets(10, 12, 10, 4));
        legend.setSubdivisionCount(4096);
        return legend;
    }

    /** Tick labels of a log10 axis as the values they stand for: 3 -> 1e+03, 3.5 -> 3.16e+03. */
    private static final class PowerOfTen extends java.text.NumberFormat {
        @Override
        public StringBuffer format(double log10, StringBuffer out, java.text.FieldPosition position) {
            return out.append(String.format(java.util.Locale.ROOT, "%.3g", Math.pow(10, log10)));
        }

        @Override
        public StringBuffer format(long log10, StringBuffer out, java.text.FieldPosition position) {
            return format((double) log10, out, position);
        }

        @Override
        public Number parse(String source, java.text.ParsePosition position) {
            throw new UnsupportedOperationException("labels only");
        }
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
            g2.draw(PixelPaths.thin(toScreen.createTransformedShape(shape), 0.5));
            g2.setClip(clip);
        }
    }

    /** A marker shape centred on a parameter point, with a contrasting outline, filled or not. */
    private static final class Marker extends AbstractXYAnnotation {
        private final double[] point;
        private final transient Shape shape;
        private final transient Color color;
        private final boolean filled;

        Marker(double[] point, Shape shape, Color color, boolean filled) {
            this.point = point;
            this.shape = shape;
            this.color = color;
            this.filled = filled;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range, int index,
                PlotRenderingInfo info) {
            Shape placed = AffineTransform.getTranslateInstance(screenX(point[0], domain, area, plot),
                    screenY(point[1], range, area, plot)).createTransformedShape(shape);
            Color halo = color.equals(Color.BLACK) ? Color.WHITE : Color.BLACK;
            g2.setStroke(new BasicStroke(4f));
            g2.setColor(halo);
            g2.draw(placed);
            g2.setStroke(new BasicStroke(2f));
            g2.setColor(color);
            if (filled) {
                g2.fill(placed);
            }
            g2.draw(placed);
        }
    }

    /** Text beside a parameter point, on a translucent white box. */
    private static final class Caption extends AbstractXYAnnotation {
        private final double[] point;
        private final String text;
        private final transient Color color;
        private final transient Font font;

        Caption(double[] point, String text, Color color, Font font) {
            this.point = point;
            this.text = text;
            this.color = color;
            this.font = font;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range, int index,
                PlotRenderingInfo info) {
            double x = screenX(point[0], domain, area, plot) + 12;
            double y = screenY(point[1], range, area, plot) + 4;
            g2.setFont(font);
            Rectangle2D box = g2.getFontMetrics().getStringBounds(text, g2);
            if (x + box.getWidth() > area.getMaxX()) {
                x -= box.getWidth() + 24;
            }
            g2.setColor(new Color(255, 255, 255, 200));
            g2.fill(new Rectangle2D.Double(x - 2, y + box.getY() - 1, box.getWidth() + 4, box.getHeight() + 2));
            g2.setColor(color);
            g2.drawString(text, (float) x, (float) y);
        }
    }

    /** The loss of each contour line written on it: (u, v, level) triples. */
    private static final class Labels extends AbstractXYAnnotation {
        private final transient List<double[]> levels;
        private final transient Font font;

        Labels(List<double[]> levels, Font font) {
            this.levels = levels;
            this.font = font;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range, int index,
                PlotRenderingInfo info) {
            g2.setFont(font);
            List<Rectangle2D> drawn = new ArrayList<>();
            for (double[] level : levels) {
                String text = level[2] >= 1e5 ? String.format(java.util.Locale.ROOT, "%.2e", level[2])
                        : format(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", level[2])));
                double x = screenX(level[0], domain, area, plot);
                double y = screenY(level[1], range, area, plot);
                Rectangle2D box = g2.getFontMetrics().getStringBounds(text, g2);
                Rectangle2D placed = new Rectangle2D.Double(x - box.getWidth() / 2 - 6, y - box.getHeight() / 2 - 6,
                        box.getWidth() + 12, box.getHeight() + 12);
                if (!area.contains(placed) || drawn.stream().anyMatch(placed::intersects)) {
                    continue;
                }
                drawn.add(placed);
                g2.setColor(new Color(0, 0, 0, 110));
                g2.fill(new Rectangle2D.Double(x - box.getWidth() / 2 - 2, y - box.getHeight() / 2, box.getWidth() + 4,
                        box.getHeight()));
                g2.setColor(Color.WHITE);
                g2.drawString(text, (float) (x - box.getWidth() / 2), (float) (y + box.getHeight() / 2 - 3));
            }
        }
    }

    private static double screenX(double u, ValueAxis domain, Rectangle2D area, XYPlot plot) {
        return domain.valueToJava2D(u, area, plot.getDomainAxisEdge());
    }

    private static double screenY(double v, ValueAxis range, Rectangle2D area, XYPlot plot) {
        return range.valueToJava2D(v, area, plot.getRangeAxisEdge());
    }
}
