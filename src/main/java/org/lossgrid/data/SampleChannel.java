package org.lossgrid.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * The synthetic video channel that stands in for the book's unpublished data.
 *
 * <p>{@code views(d) = level(d) * weekday(d) + noiseScale(d) * (a(d) + laplace(d))}: a level that
 * grows linearly from 1000 to 6500 over 2017-2020 and stays there in 2021, a +-10% yearly season,
 * a weekend dip, a persistent AR(1) deviation {@code a} and heavy-tailed day-to-day noise. The
 * constants were calibrated so that the exact MAE-optimal 1-day model lands near the book's
 * w* = 0.97, b* = 100, L = 480, L' = 580, and the 7-day model beats it (book: 380 / 490);
 * {@code SampleChannelTest} checks the bounds.
 */
public final class SampleChannel {
    public static final long DEFAULT_SEED = 2017;
    public static final LocalDate DEFAULT_FIRST = LocalDate.of(2017, 1, 1);
    public static final LocalDate DEFAULT_LAST = LocalDate.of(2021, 12, 31);
    /** Where the bundled copy lives on the classpath; regenerate with {@code lossgrid generate}. */
    public static final String RESOURCE = "/org/lossgrid/sample/channel.csv";
    public static final String NAME = "sample channel";

    private static final double LEVEL_START = 1000;
    private static final double LEVEL_END = 6500;
    private static final LocalDate GROWTH_END = LocalDate.of(2021, 1, 1);
    private static final double SEASON = 0.10;
    /** Monday..Sunday: views dip at the weekend. */
    private static final double[] WEEKDAY = {1.03, 1.05, 1.04, 1.02, 0.98, 0.92, 0.96};
    private static final double AR = 0.95;
    private static final double AR_SIGMA = 1.0;
    private static final double LAPLACE_SCALE = 7.0 / Math.sqrt(2);
    private static final double NOISE_LEVEL_EXPONENT = 0.25;
    private static final double NOISE_REFERENCE_LEVEL = 4000;

    private SampleChannel() {
    }

    /** The bundled sample, 2017-01-01 to 2021-12-31, seed {@value #DEFAULT_SEED}. */
    public static Series bundled() {
        try (InputStream in = SampleChannel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled sample " + RESOURCE + " is missing from the jar");
            }
            Series series = Series.fromCsv(CsvFile.parse(NAME, new InputStreamReader(in, StandardCharsets.UTF_8)));
            return new Series(NAME, series.first(), series.views());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Generates the channel's daily views for every day from {@code first} to {@code last} inclusive. */
    public static Series generate(long seed, LocalDate first, LocalDate last) {
        SplittableRandom random = new SplittableRandom(seed);
        double phase = 2 * Math.PI * random.nextDouble();
        int days = (int) ChronoUnit.DAYS.between(first, last) + 1;
        double growthDays = ChronoUnit.DAYS.between(DEFAULT_FIRST, GROWTH_END);
        double[] views = new double[days];
        double a = 0;
        for (int d = 0; d < days; d++) {
            LocalDate date = first.plusDays(d);
            double sinceStart = ChronoUnit.DAYS.between(DEFAULT_FIRST, date);
            double growth = Math.max(0, Math.min(1, sinceStart / growthDays));
            double trend = LEVEL_START + (LEVEL_END - LEVEL_START) * growth;
            double level = trend * (1 + SEASON * Math.sin(2 * Math.PI * sinceStart / 365.25 + phase));
            a = AR * a + AR_SIGMA * random.nextGaussian();
            double noiseScale = Math.pow(level / NOISE_REFERENCE_LEVEL, NOISE_LEVEL_EXPONENT) * Math.sqrt(NOISE_REFERENCE_LEVEL);
            double value = level * WEEKDAY[date.getDayOfWeek().getValue() - 1] + noiseScale * (a + laplace(random));
            views[d] = Math.max(0, Math.rint(value));
        }
        return new Series(NAME, first, views);
    }

    /** A Laplace(0, LAPLACE_SCALE) draw by inverting its CDF. */
    private static double laplace(SplittableRandom random) {
        double u = random.nextDouble() - 0.5;
        return -LAPLACE_SCALE * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
    }

    /** Writes {@code date,views} CSV. */
    public static void write(Series series, Writer out) throws IOException {
        double[] views = series.views();
        out.write("date,views\n");
        for (int d = 0; d < views.length; d++) {
            out.write(series.date(d) + "," + (long) views[d] + "\n");
        }
    }
}
