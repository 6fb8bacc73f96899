package org.lossgrid.surface.fast;

import java.util.stream.IntStream;

import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.surface.SurfacePlane;

/**
 * The MAE surface in O(N + rows) per column instead of O(N * rows), by ordering the residuals
 * against the row values.
 *
 * <p>For a column (fixed du) the residuals are {@code r_k = t_k - du p_k}, and
 * {@code n L(dv) = Z + sum_{q_k != 0} a_k |s_k - dv|} with keys {@code s_k = r_k / q_k = alpha_k - du beta_k},
 * weights {@code a_k = |q_k|} and {@code Z = sum_{q_k = 0} |r_k|} (for the usual vertical axis b, q = 1
 * and every weight is 1). With {@code W}, {@code S} the sums of {@code a} and {@code a s} over the keys at
 * or below dv, {@code n L(dv) = Z + dv (2 W - W_total) - (2 S - S_total)}; the totals do not depend on
 * the order, and {@code S_total = sum a alpha - du sum a beta} is known once for all columns.
 *
 * <p>Only each key's place among the row values matters, not the order of the keys among themselves.
 * The rows are a linspace, so that place is {@code ceil((s - dv_0) / h)}, found in O(1): one pass
 * scatters every key's {@code a} and {@code a s} into its row's bucket, and a running sum over the rows
 * gives W and S for each, O(N + rows) with no sort. Samples go through in chunks that stay in L1
 * while every column of a band scatters them, so large N reads memory once per band, not per column. (The first version
 * re-sorted the keys per column by insertion, as adjacent columns are nearly ordered alike; at
 * 25 cycles per key it was only 3 times faster than brute force.) A key that rounding puts beside the
 * row it equals contributes {@code a |s - dv|}, a rounding-sized error. Sums are in double.
 */
public final class MaeSorted implements SurfaceTiles {
    /** Columns per parallel band. */
    private static final int BAND = 32;
    /** Samples per chunk: a chunk's arrays stay in L1 while every column of the band scatters it. */
    private static final int CHUNK = 1024;

    private final SurfacePlane plane;
    private final int n;
    private final double[] alpha;
    private final double[] beta;
    private final double[] weight;
    private final int[] flat;
    private final double totalWeight;
    private final double weightedAlpha;
    private final double weightedBeta;

    public MaeSorted(SurfacePlane plane) {
        this.plane = plane;
        this.n = plane.samples();
        int keyed = 0;
        for (double q : plane.q()) {
            if (q != 0) {
                keyed++;
            }
        }
        alpha = new double[keyed];
        beta = new double[keyed];
        weight = new double[keyed];
        flat = new int[n - keyed];
        int k = 0;
        int z = 0;
        double tw = 0;
        double ta = 0;
        double tb = 0;
        for (int i = 0; i < n; i++) {
            double q = plane.q()[i];
            if (q != 0) {
                alpha[k] = plane.t()[i] / q;
                beta[k] = plane.p()[i] / q;
                weight[k] = Math.abs(q);
                tw += weight[k];
                ta += weight[k] * alpha[k];
                tb += weight[k] * beta[k];
                k++;
            } else {
                flat[z++] = i;
            }
        }
        totalWeight = tw;
        weightedAlpha = ta;
        weightedBeta = tb;
    }

    @Override
    public int maxRowsPerTile() {
        return Integer.MAX_VALUE / Math.max(1, plane.columns());
    }

    /** Each tile passes over every sample once per column, so the fewer tiles the better. */
    @Override
    public long preferredTilePoints() {
        return Long.MAX_VALUE;
    }

    @Override
    public long workingBytes(int rows) {
        return (2L * Double.BYTES * (rows + 1) + Float.BYTES * rows) * BAND * Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void computeRows(int row0, int rows, float[] out) {
        int columns = plane.columns();
        int bands = (columns + BAND - 1) / BAND;
        int parts = Math.min(bands, Runtime.getRuntime().availableProcessors());
        IntStream.range(0, parts).parallel().forEach(part -> {
            Band band = new Band(row0, rows);
            for (int b = part * bands / parts; b < (part + 1) * bands / parts; b++) {
                band.run(b * BAND, Math.min(columns, (b + 1) * BAND), out);
            }
        });
    }

    /** The row index below which a key lies, from x = (s - first) / step: ceil(x), clamped to [0, rows]. */
    private static int place(double x, int rows) {
        double clamped = x < -1 ? -1 : x > rows ? rows : x;
        int truncated = (int) clamped;
        int ceiling = truncated + (clamped > truncated ? 1 : 0);
        return ceiling < 0 ? 0 : ceiling;
    }

    /**
     * A band of columns over one tile of rows, with the samples in the order of their places at the
     * band's first column (a counting sort, O(N + rows)). Adjacent columns order the samples almost
     * alike, so in that order the bucket scatter walks memory forwards and its branches predict well.
     */
    private final class Band {
        private final int row0;
        private final int rows;
        private final double first;
        private final double inverseStep;
        private final double step;
        /** (alpha - first) / step, beta / step and the weight, per sample, in the band's order. */
        private final double[] a = new double[alpha.length];
        private final double[] b = new double[alpha.length];
        private final double[] w = new double[alpha.length];
        /** How many samples of a, b, w the band scatters; the sums of w, w A, w B of those always below. */
        private int active;
        /** The second half's running sums, before the first half's totals are added. */
        private final double[] runningW;
        private final double[] runningS;
        private double belowWeight;
        private double belowA;
        private double belowB;
        /** Reused for every band this worker runs, so they stay in cache: BAND columns of (rows + 1) buckets. */
        private final double[] bucketW;
        private final double[] bucketS;
        private final float[] block;

        Band(int row0, int rows) {
            this.row0 = row0;
            this.rows = rows;
            double[] dv = plane.dv();
            this.first = dv[row0];
            double h = rows > 1 ? (dv[row0 + rows - 1] - first) / (rows - 1) : 1;
            this.step = h > 0 ? h : 1;
            this.inverseStep = 1 / step;
            this.bucketW = new double[BAND * (rows + 1)];
            this.bucketS = new double[BAND * (rows + 1)];
            this.block = new float[BAND * rows];
            this.runningW = new double[rows];
            this.runningS = new double[rows];
        }

        void run(int from, int to, float[] out) {
            order(plane.du()[from], plane.du()[to - 1]);
            int width = to - from;
            int stride = rows + 1;
            java.util.Arrays.fill(bucketW, 0, width * stride, 0);
            java.util.Arrays.fill(bucketS, 0, width * stride, 0);
            for (int k0 = 0; k0 < active; k0 += CHUNK) {
                int k1 = Math.min(active, k0 + CHUNK);
                int c = 0;
                for (; c + 3 < width; c += 4) {
                    scatterFour(from + c, k0, k1, c * stride, stride);
                }
                for (; c < width; c++) {
                    scatter(plane.du()[from + c], k0, k1, bucketW, bucketS, c * stride);
                }
            }
            for (int c = 0; c < width; c++) {
                column(from + c, bucketW, bucketS, c * stride, block, c * rows);
            }
            int columns = plane.columns();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    out[r * columns + from + c] = block[c * rows + r];
                }
            }
        }

        /** Adds samples k0 .. k1-1 of column offset u into their rows' buckets at {@code at}. */
        private void scatter(double u, int k0, int k1, double[] bucketW, double[] bucketS, int at) {
            for (int k = k0; k < k1; k++) {
                double x = a[k] - u * b[k];
                int bucket = at + place(x, rows);
                bucketW[bucket] += w[k];
                bucketS[bucket] += w[k] * x;
            }
        }

        /**
         * {@link #scatter} for four adjacent columns in one pass over the samples: each sample's loads
         * serve four columns, and the four bucket streams are independent of each other.
         */
        private void scatterFour(int c, int k0, int k1, int at, int stride) {
            double[] du = plane.du();
            double u0 = du[c];
            double u1 = du[c + 1];
            double u2 = du[c + 2];
            double u3 = du[c + 3];
            for (int k = k0; k < k1; k++) {
                double ak = a[k];
                double bk = b[k];
                double wk = w[k];
                double x0 = ak - u0 * bk;
                double x1 = ak - u1 * bk;
                double x2 = ak - u2 * bk;
                double x3 = ak - u3 * bk;
                int p0 = at + place(x0, rows);
                int p1 = at + stride + place(x1, rows);
                int p2 = at + 2 * stride + place(x2, rows);
                int p3 = at + 3 * stride + place(x3, rows);
                bucketW[p0] += wk;
                bucketS[p0] += wk * x0;
                bucketW[p1] += wk;
                bucketS[p1] += wk * x1;
                bucketW[p2] += wk;
                bucketS[p2] += wk * x2;
                bucketW[p3] += wk;
                bucketS[p3] += wk * x3;
            }
        }

        /**
         * Prepares a band of columns with offsets from uFirst to uLast. A sample's key x(u) = A - u B is
         * linear in u, so its extremes over the band are at the two end columns: a sample whose key
         * stays at or below the first row for the whole band lands in bucket 0 of every column, which
         * {@link #column} adds in closed form from the sums kept here; one whose key stays above the
         * last row is never counted and is dropped. The rest, the only ones scattered, are put in the
         * order of their places at the first column (a counting sort, O(N + rows)), in which adjacent
         * columns order them almost alike, so the scatter walks memory forwards.
         */
        private void order(double uFirst, double uLast) {
            int[] start = new int[rows + 2];
            int[] places = new int[alpha.length];
            belowWeight = 0;
            belowA = 0;
            belowB = 0;
            for (int k = 0; k < alpha.length; k++) {
                double scaledA = (alpha[k] - first) * inverseStep;
                double scaledB = beta[k] * inverseStep;
                double x1 = scaledA - uFirst * scaledB;
                double x2 = scaledA - uLast * scaledB;
                if (Math.max(x1, x2) <= 0) {
                    belowWeight += weight[k];
                    belowA += weight[k] * scaledA;
                    belowB += weight[k] * scaledB;
                    places[k] = -1;
                } else if (Math.min(x1, x2) > rows - 1) {
                    places[k] = -1;
                } else {
                    places[k] = place(x1, rows);
                    start[places[k] + 1]++;
                }
            }
            for (int r = 0; r <= rows; r++) {
                start[r + 1] += start[r];
            }
            active = start[rows + 1];
            for (int k = 0; k < alpha.length; k++) {
                if (places[k] < 0) {
                    continue;
                }
                int to = start[places[k]]++;
                a[to] = (alpha[k] - first) * inverseStep;
                b[to] = beta[k] * inverseStep;
                w[to] = weight[k];
            }
        }

        /**
         * n L(dv_r) = Z + dv_r (2 W_r - W_total) - (2 S_r - S_total) for the tile's rows of column c, from
         * its buckets, into out[at + r - row0]: a band's columns are written contiguously and transposed
         * once, since writing each column straight into the row-major output misses the cache on every row.
         */
        private void column(int c, double[] bucketW, double[] bucketS, int buckets, float[] out, int at) {
            double u = plane.du()[c];
            double[] dv = plane.dv();
            double z = 0;
            for (int i : flat) {
                z += Math.abs(plane.t()[i] - u * plane.p()[i]);
            }
            double totalS = weightedAlpha - u * weightedBeta;
            // running sums over the rows, as two independent chains (first half, second half) to halve
            // the add latency; the second half's sums get the first half's totals added afterwards
            int half = rows / 2;
            double lowW = belowWeight;
            double lowS = (belowA - u * belowB) * step + belowWeight * first;
            double highW = 0;
            double highS = 0;
            for (int r = 0; r < rows - half; r++) {
                if (r < half) {
                    lowW += bucketW[buckets + r];
                    lowS += bucketS[buckets + r] * step + bucketW[buckets + r] * first;
                    out[at + r] = value(dv[row0 + r], lowW, lowS, z, totalS);
                }
                int h = half + r;
                highW += bucketW[buckets + h];
                highS += bucketS[buckets + h] * step + bucketW[buckets + h] * first;
                runningW[r] = highW;
                runningS[r] = highS;
            }
            for (int r = half; r < rows; r++) {
                out[at + r] = value(dv[row0 + r], lowW + runningW[r - half], lowS + runningS[r - half], z, totalS);
            }
        }

        /** L = (Z + v (2 W - W_total) - (2 S - S_total)) / n */
        private float value(double v, double belowW, double belowS, double z, double totalS) {
            double sum = z + v * (2 * belowW - totalWeight) - (2 * belowS - totalS);
            return (float) (Math.max(sum, 0) / n);
        }
    }
}
