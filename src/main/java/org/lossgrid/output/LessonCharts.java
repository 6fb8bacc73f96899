package org.lossgrid.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;


import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The lesson's line figures, in the learner's language: the data with its split (the book's Fig 1.1),
 * predicted against true views, and the 1-D error curve with its tangent and a gradient step (Fig 1.3/1.4).
 */
public final class LessonCharts {
    private static final int WIDTH = 960;
    static final Color BLUE = new Color(31, 90, 180);
    static final Color ORANGE = new Color(230, 120, 20);
    static final Color RED = new Color(200, 30, 30);

    private LessonCharts() {
    }

    /** Daily views over time, the split marked and the test period shaded, above the last 8 training weeks. */
    public static byte[] series(FigureText text, String name, LocalDate first, double[] views, LocalDate trainUntil) {
        TimeSeries train = new TimeSeries(text.get("series.train"));
        TimeSeries test = new TimeSeries(text.get("series.test"));
        TimeSeries weeks = new TimeSeries(text.get("series.train"));
        LocalDate weeksFrom = trainUntil.minusDays(8 * 7 - 1);
        for (int d = 0; d < views.length; d++) {
            LocalDate date = first.plusDays(d);
            Day day = new Day(date.getDayOfMonth(), date.getMonthValue(), date.getYear());
            (date.isAfter(trainUntil) ? test : train).add(day, views[d]);
            if (!date.isBefore(weeksFrom) && !date.isAfter(trainUntil)) {
                weeks.add(day, views[d]);
            }
        }
        TimeSeriesCollection all = new TimeSeriesCollection(train, TimeZone.getTimeZone("UTC"));
        all.addSeries(test);
        XYPlot top = datePlot(text, all, "yyyy");
        ((DateAxis) top.getDomainAxis()).setTickUnit(new org.jfree.chart.axis.DateTickUnit(
                org.jfree.chart.axis.DateTickUnitType.YEAR, 1));
        ((DateAxis) top.getDomainAxis()).setRange(new Date(millis(first)), new Date(millis(first.plusDays(views.length))));
        long split = millis(trainUntil.plusDays(1));
        ValueMarker line = new ValueMarker(split, Color.DARK_GRAY, new BasicStroke(1.5f));
        line.setLabel(text.get("series.split", trainUntil.toString()));
        line.setLabelFont(text.font(Font.PLAIN, 12));
        line.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
        line.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        top.addDomainMarker(line);
        if (!test.isEmpty()) {
            top.addDomainMarker(new IntervalMarker(split, millis(first.plusDays(views.length)), new Color(255, 200, 120, 70)),
                    Layer.BACKGROUND);
        }
        JFreeChart upper = chart(text, text.get("series.title", text.dataName(name), trainUntil.toString()), top, true);
        XYPlot bottom = datePlot(text, new TimeSeriesCollection(weeks, TimeZone.getTimeZone("UTC")), "MM-dd");
        ((XYLineAndShapeRenderer) bottom.getRenderer()).setSeriesShapesVisible(0, true);
        ((XYLineAndShapeRenderer) bottom.getRenderer()).setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        JFreeChart lower = chart(text, text.get("series.weeks"), bottom, false);
        BufferedImage image = new BufferedImage(WIDTH, 820, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        upper.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, WIDTH, 500));
        lower.draw(g, new java.awt.geom.Rectangle2D.Double(0, 500, WIDTH, 320));
        g.dispose();
        return png(image);
    }

    /** True and predicted views over the test period; {@code note} under the chart (or null). */
    public static byte[] predictions(FigureText text, String title, LocalDate first, double[] truth, double[] predicted,
            String note) {
        TimeSeries real = new TimeSeries(text.get("predict.true"));
        TimeSeries model = new TimeSeries(text.get("predict.predicted"));
        for (int i = 0; i < truth.length; i++) {
            LocalDate date = first.plusDays(i);
            Day day = new Day(date.getDayOfMonth(), date.getMonthValue(), date.getYear());
            real.add(day, truth[i]);
            model.add(day, predicted[i]);
        }
        TimeSeriesCollection data = new TimeSeriesCollection(real, TimeZone.getTimeZone("UTC"));
        data.addSeries(model);
        XYPlot plot = datePlot(text, data, "yyyy-MM");
        plot.getRenderer().setSeriesPaint(1, RED);
        plot.getRenderer().setSeriesStroke(1, new BasicStroke(1.3f));
        JFreeChart chart = chart(text, title, plot, true);
        if (note != null) {
            TextTitle subtitle = new TextTitle(note, text.font(Font.PLAIN, 12));
            subtitle.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(subtitle);
        }
        return png(chart.createBufferedImage(WIDTH, 520));
    }

    /**
     * L over one parameter: the curve, the tangent at {@code w0} with slope {@code slope}, the step
     * {@code -eta slope} as an arrow along the axis, and the minimum on the curve.
     */
    public static byte[] curve(FigureText text, String title, String param, double[] u, double[] loss, double w0,
            double lossAtW0, double slope, double eta, double minimumAt, double minimum, List<String> notes) {
        XYSeries curve = new XYSeries(text.get("curve.loss"));
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < u.length; i++) {
            if (Double.isFinite(loss[i])) {
                curve.add(u[i], loss[i]);
                lo = Math.min(lo, loss[i]);
                hi = Math.max(hi, loss[i]);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(curve);
        NumberAxis x = new NumberAxis(param);
        x.setAutoRangeIncludesZero(false);
        x.setLabelFont(text.font(Font.BOLD, 14));
        x.setRange(u[0], u[u.length - 1]);
        NumberAxis y = new NumberAxis(text.get("curve.loss"));
        y.setAutoRangeIncludesZero(false);
        y.setLabelFont(text.font(Font.BOLD, 14));
        double pad = 0.08 * Math.max(hi - lo, 1e-12);
        y.setRange(lo - 2.5 * pad, hi + pad);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, BLUE);
        renderer.setSeriesStroke(0, new BasicStroke(2.4f));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        double half = 0.12 * (u[u.length - 1] - u[0]);
        plot.addAnnotation(new XYLineAnnotation(w0 - half, lossAtW0 - slope * half, w0 + half, lossAtW0 + slope * half,
                new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f), ORANGE));
        XYPointerAnnotation tangent = new XYPointerAnnotation(text.get("curve.tangent", param, SurfacePlot.format(w0),
                SurfacePlot.format(slope)), w0 - 0.5 * half, lossAtW0 - slope * 0.5 * half, 3 * Math.PI / 4);
        tangent.setBaseRadius(30);
        tangent.setTextAnchor(TextAnchor.TOP_RIGHT);
        tangent.setFont(text.font(Font.PLAIN, 12));
        tangent.setPaint(ORANGE.darker());
        tangent.setArrowPaint(ORANGE.darker());
        plot.addAnnotation(tangent);
        double next = w0 - eta * slope;
        plot.addAnnotation(new XYLineAnnotation(w0, lossAtW0, next, lossAtW0, new BasicStroke(2.5f), RED));
        XYPointerAnnotation step = new XYPointerAnnotation(text.get("curve.step", param, SurfacePlot.format(eta)), next,
                lossAtW0, next < w0 ? -3 * Math.PI / 4 : -Math.PI / 4);
        step.setBaseRadius(36);
        step.setFont(text.font(Font.PLAIN, 12));
        step.setPaint(RED);
        step.setArrowPaint(RED);
        step.setTextAnchor(next < w0 ? TextAnchor.BOTTOM_RIGHT : TextAnchor.BOTTOM_LEFT);
        plot.addAnnotation(step);
        XYPointerAnnotation min = new XYPointerAnnotation(text.get("curve.minimum", param, SurfacePlot.format(minimumAt),
                SurfacePlot.format(minimum)), minimumAt, minimum, Math.PI / 3);
        min.setFont(text.font(Font.PLAIN, 12));
        min.setBaseRadius(24);
        min.setTipRadius(6);
        min.setTextAnchor(TextAnchor.TOP_LEFT);
        plot.addAnnotation(min);
        XYTextAnnotation dot = new XYTextAnnotation("\u25cf", minimumAt, minimum);
        dot.setPaint(Color.BLACK);
        dot.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        plot.addAnnotation(dot);
        JFreeChart chart = chart(text, title, plot, false);
        for (String note : notes) {
            TextTitle subtitle = new TextTitle(note, text.font(Font.PLAIN, 12));
            subtitle.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(subtitle);
        }
        return png(chart.createBufferedImage(WIDTH, 600));
    }

    /**
     * The k-day models as bars: training and test loss per number of lags, ours beside the book's (NaN
     * where the book gives none), above the 7-day weights, ours beside the lecture's.
     */
    public static byte[] lags(FigureText text, int[] lags, double[][] losses, double[] ours7, double[] lecture7) {
        org.jfree.data.category.DefaultCategoryDataset bars = new org.jfree.data.category.DefaultCategoryDataset();
        String[] series = {text.get("lags.train"), text.get("lags.test"), text.get("lags.book.train"),
            text.get("lags.book.test")};
        for (int m = 0; m < lags.length; m++) {
            for (int k = 0; k < series.length; k++) {
                bars.addValue(Double.isNaN(losses[k][m]) ? null : losses[k][m], series[k], Integer.toString(lags[m]));
            }
        }
        JFreeChart upper = bars(text, text.get("lags.title"), text.get("lags.days"), text.get("lags.loss"), bars,
                new Color[] {BLUE, ORANGE, new Color(140, 170, 220), new Color(240, 190, 140)});
        org.jfree.data.category.DefaultCategoryDataset weights = new org.jfree.data.category.DefaultCategoryDataset();
        for (int j = 0; j < ours7.length; j++) {
            String name = j == 0 ? "b / 100" : "w" + j;
            double scale = j == 0 ? 0.01 : 1;
            weights.addValue(ours7[j] * scale, text.get("lags.weights.ours"), name);
            weights.addValue(lecture7[j] * scale, text.get("lags.weights.lecture"), name);
        }
        JFreeChart lower = bars(text, text.get("lags.weights"), "", "", weights, new Color[] {BLUE, new Color(140, 170, 220)});
        BufferedImage image = new BufferedImage(WIDTH, 860, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        upper.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, WIDTH, 480));
        lower.draw(g, new java.awt.geom.Rectangle2D.Double(0, 480, WIDTH, 380));
        g.dispose();
        return png(image);
    }

    /**
     * The book's table of models (§1.2) as bars: per model, training and test loss, ours beside the book's
     * ({@code losses[0..3]}: ours L, ours L', book L, book L'; NaN where a row has none).
     */
    public static byte[] models(FigureText text, List<String> models, double[][] losses) {
        org.jfree.data.category.DefaultCategoryDataset bars = new org.jfree.data.category.DefaultCategoryDataset();
        String[] series = {text.get("lags.train"), text.get("lags.test"), text.get("lags.book.train"),
            text.get("lags.book.test")};
        for (int m = 0; m < models.size(); m++) {
            for (int k = 0; k < series.length; k++) {
                bars.addValue(Double.isNaN(losses[k][m]) ? null : losses[k][m], series[k], models.get(m));
            }
        }
        JFreeChart chart = bars(text, text.get("models.title"), text.get("models.model"), text.get("lags.loss"), bars,
                new Color[] {BLUE, ORANGE, new Color(140, 170, 220), new Color(240, 190, 140)});
        return png(chart.createBufferedImage(WIDTH, 520));
    }

    /** One training run's losses after each epoch; {@code label} names the run where a figure holds several. */
    public record History(String label, int[] epochs, double[] train, double[] test) {
    }

    /**
     * Training and test loss after each epoch (epoch 0 is the initialisation), so that overfitting shows as a
     * test curve that turns up while the training curve still falls: one run in blue and orange, or several,
     * each in its own colour, training solid and test dashed. The loss axis is logarithmic where the curves
     * span more than a factor of 20.
     */
    public static byte[] history(FigureText text, String title, String lossName, List<History> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        boolean several = runs.size() > 1;
        for (int r = 0; r < runs.size(); r++) {
            History run = runs.get(r);
            String prefix = several ? run.label() + ": " : "";
            XYSeries train = new XYSeries(prefix + text.get("history.train"));
            XYSeries test = new XYSeries(prefix + text.get("history.test"));
            for (int e = 0; e < run.epochs().length; e++) {
                for (double v : new double[] {run.train()[e], run.test()[e]}) {
                    if (Double.isFinite(v) && v > 0) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
                if (Double.isFinite(run.train()[e])) {
                    train.add(run.epochs()[e], run.train()[e]);
                }
                if (Double.isFinite(run.test()[e])) {
                    test.add(run.epochs()[e], run.test()[e]);
                }
            }
            Color colour = several ? Color.getHSBColor((float) r / runs.size(), 0.75f, 0.8f) : BLUE;
            renderer.setSeriesPaint(data.getSeriesCount(), colour);
            renderer.setSeriesStroke(data.getSeriesCount(), new BasicStroke(1.6f));
            data.addSeries(train);
            if (!test.isEmpty()) {
                renderer.setSeriesPaint(data.getSeriesCount(), several ? colour : ORANGE);
                renderer.setSeriesStroke(data.getSeriesCount(), several ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f) : new BasicStroke(1.6f));
                data.addSeries(test);
            }
        }
        NumberAxis x = new NumberAxis(text.get("history.epoch"));
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setLabelFont(text.font(Font.BOLD, 13));
        String label = text.get("history.loss", lossName);
        org.jfree.chart.axis.ValueAxis y;
        if (hi > 20 * lo) {
            org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis(label);
            log.setSmallestValue(lo / 2);
            log.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
            y = log;
        } else {
            NumberAxis linear = new NumberAxis(label);
            linear.setAutoRangeIncludesZero(false);
            y = linear;
        }
        y.setLabelFont(text.font(Font.BOLD, 13));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        return png(chart(text, title, plot, true).createBufferedImage(WIDTH, several ? 640 : 540));
    }

    private static JFreeChart bars(FigureText text, String title, String category, String value,
            org.jfree.data.category.DefaultCategoryDataset data, Color[] colors) {
        org.jfree.chart.axis.CategoryAxis x = new org.jfree.chart.axis.CategoryAxis(category);
        x.setLabelFont(text.font(Font.BOLD, 13));
        NumberAxis y = new NumberAxis(value);
        y.setLabelFont(text.font(Font.BOLD, 13));
        org.jfree.chart.renderer.category.BarRenderer renderer = new org.jfree.chart.renderer.category.BarRenderer();
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int k = 0; k < colors.length; k++) {
            renderer.setSeriesPaint(k, colors[k]);
        }
        renderer.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator("{2}",
                new java.text.DecimalFormat("0.##")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(text.font(Font.PLAIN, 10));
        org.jfree.chart.plot.CategoryPlot plot = new org.jfree.chart.plot.CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        JFreeChart chart = new JFreeChart(title, text.font(Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(text.font(Font.PLAIN, 12));
        return chart;
    }

    private static XYPlot datePlot(FigureText text, TimeSeriesCollection data, String pattern) {
        DateAxis x = new DateAxis(text.get("series.date"));
        SimpleDateFormat format = new SimpleDateFormat(pattern);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        x.setDateFormatOverride(format);
        x.setTimeZone(TimeZone.getTimeZone("UTC"));
        x.setLabelFont(text.font(Font.BOLD, 13));
        NumberAxis y = new NumberAxis(text.get("series.views"));
        y.setAutoRangeIncludesZero(false);
        y.setLabelFont(text.font(Font.BOLD, 13));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, BLUE);
        renderer.setSeriesPaint(1, ORANGE);
        renderer.setSeriesStroke(0, new BasicStroke(1.2f));
        renderer.setSeriesStroke(1, new BasicStroke(1.2f));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        return plot;
    }

    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
    }

    static JFreeChart chart(FigureText text, String title, XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, text.font(Font.BOLD, 15), plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        if (legend) {
            chart.getLegend().setItemFont(text.font(Font.PLAIN, 12));
        }
        return chart;
    }

    private static long millis(LocalDate date) {
        return Date.from(date.atStartOfDay().toInstant(ZoneOffset.UTC)).getTime();
    }

    /** The image as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        return Png.encode(image);
    }
}
