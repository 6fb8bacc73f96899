package org.lossgrid.surface.fast;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.backend.SurfacePlane;

/**
 * The MAE surface in O(N + rows) per column instead of O(N * rows), by placing the residuals among
 * the row values.
 *
 * <p>For a column (fixed du) the residuals are {@code r_k = t_k - du p_k}, and
 * {@code n L(dv) = Z + sum_{q_k != 0} a_k |s_k - dv|} with keys {@code s_k = r_k / q_k = alpha_k - du beta_k},
 * weights {@code a_k = |q_k|} and {@code Z = sum_{q_k = 0} |r_k|} (on the usual vertical axis b, q = 1
 * and every weight is 1). With {@code W}, {@code S} the sums of {@code a} and {@code a s} over the keys
 * below dv, {@code n L(dv) = Z + dv (2 W - W_total) - (2 S - S_total)}.
 *
 * <p>Only each key's place among the row values matters, not the order of the keys among themselves.
 * The rows are a linspace, so that place is {@code floor((s - dv_0) / h)}, found in O(1): one pass
 * scatters every key into its row's bucket, and a running sum over the rows gives W and S for each,
 * O(N + rows) with no sort. (The first version re-sorted the keys per column by insertion, since
 * adjacent columns order them nearly alike; at 25 cycles per key it was only 3 times faster than
 * brute force.) What keeps the scatter cheap:
 * <ul>
 * <li>Columns go in bands of {@link #BAND}. A key is linear in du, so a sample below the rows for a
 * whole band is added in closed form, one above them is dropped, and only the rest are scattered.
 * <li>Samples go through in chunks that stay in L1 while every column of the band scatters them,
 * four columns per pass, so large N reads memory once per band, not per column.
 * <li>With unit weights a bucket's count and key sum share one double: each key x is added as
 * {@code OFFSET + x} and the two are separated exactly afterwards ({@link Band#decode}). A margin of
 * buckets on either side of the rows holds every key the band can produce, so no key is clamped and
 * the bucket is a truncation: one fma, one conversion and one add per key and column.
 * <li>Weighted keys, and bands whose keys move further than the widest margin, keep two sums per
 * bucket and clamp keys into the end buckets.
 * </ul>
 * Sums are in double, and the row values are formed in the band's frame (keys measured in row steps
 * from the tile's first row), so nothing cancels at the scale of the data's distance from the origin.
 */
public final class MaeSorted implements SurfaceTiles {
    /** Columns per parallel band, a multiple of four. */
    private static final int BAND = 32;
    /** Samples per chunk: a chunk's arrays stay in L1 while every column of the band scatters it. */
    private static final int CHUNK = 1024;
    /** Added to every packed key, so a bucket's sum holds its count in the multiples of about OFFSET. */
    static final double OFFSET = 0x1p16;
    /** Samples between decodes of the packed buckets: a bucket's count stays below OFFSET / 4. */
    static final int FLUSH = 1 << 14;

    /** Pads each column of the transposition block, so its BAND columns do not share cache sets. */
    private static final int BLOCK_PAD = 8;
    /** Keeps BAND columns of buckets, about 2 rows each, within int indices. */
    private static final int MAX_TILE_ROWS = 1 << 22;

    private final SurfacePlane plane;
    private final int n;
    private final double[] alpha;
    private final double[] beta;
    private final double[] weight;
    private final int[] flat;
    private final double totalWeight;
    private final double inverseN;
    /** Whether every key weighs 1 (|q| = 1, as on the b axis), so buckets can pack count and sum in one double. */
    private final boolean unitWeights;

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
        boolean units = true;
        for (int i = 0; i < n; i++) {
            double q = plane.q()[i];
            if (q != 0) {
                alpha[k] = plane.t()[i] / q;
                beta[k] = plane.p()[i] / q;
                weight[k] = Math.abs(q);
                units &= weight[k] == 1;
                tw += weight[k];
                k++;
            } else {
                flat[z++] = i;
            }
        }
        totalWeight = tw;
        inverseN = 1.0 / n;
        unitWeights = units;
    }

    @Override
    public int maxRowsPerTile() {
        return Math.min(Integer.MAX_VALUE / Math.max(1, plane.columns()), MAX_TILE_ROWS);
    }

    /** Each tile passes over every sample once per column, so the fewer tiles the better. */
    @Override
    public long preferredTilePoints() {
        return Long.MAX_VALUE;
    }

    /** Per worker: its copy of the samples, its buckets, the block it transposes and its running sums. */
    @Override
    public long workingBytes(int rows) {
        long doubles = 3L * alpha.length + 3L * BAND * maxStride(rows) + (long) BAND * (rows + BLOCK_PAD) + 3L * rows;
        return Double.BYTES * doubles * Runtime.getRuntime().availableProcessors();
    }

    /**
     * The widest margin of buckets on either side of the rows a band may use before it clamps instead:
     * enough for the keys of a grid's adjacent columns to move hundreds of rows, in memory linear in the rows.
     */
    private static int maxMargin(int rows) {
        return rows / 2 + 256;
    }

    private static int maxStride(int rows) {
        return rows + 2 * maxMargin(rows);
    }

    /**
     * The count of a packed bucket j, given 1 / (OFFSET + j): floor(V / (OFFSET + j)). The bucket's keys lie
     * in [j, j + 1) and number at most {@link #FLUSH} = OFFSET / 4, so V = count (OFFSET + j) + F with F in
     * [0, count) and the quotient's fraction lies in [0, 1/4); adding 1/8 before the floor absorbs the
     * reciprocal's rounding, which would otherwise turn some exact multiples into count - 1. The keys'
     * sum is then V - count OFFSET.
     */
    static double packedCount(double packedSum, double reciprocal) {
        return Math.floor(Math.fma(packedSum, reciprocal, 0.125));
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

    /**
     * A band of columns over one tile of rows. In the band's frame a key is x = (s - dv_0) / h + margin,
     * so row r lies at x = r + margin, and bucket j holds the keys with floor(x) = j: the keys strictly
     * below row r are those of buckets j < r + margin. A key equal to a row adds |s - dv| = 0 to it on
     * either side, so strict or not makes no difference.
     */
    private final class Band {
        private final int row0;
        private final int rows;
        private final double first;
        private final double inverseStep;
        private final double step;
        /**
         * Per sample the band scatters: the key at offset 0 in the band's frame (plus OFFSET when
         * packed), its slope, its weight.
         */
        private final double[] a = new double[alpha.length];
        private final double[] b = new double[alpha.length];
        private final double[] w = new double[alpha.length];
        /** How many samples of a, b, w the band scatters. */
        private int active;
        /**
         * Sums of w, w A and w B (A, B the key's scaled intercept and slope) over all keys and over
         * those always below.
         */
        private double allA;
        private double allB;
        private double belowWeight;
        private double belowA;
        private double belowB;
        /** Buckets below row 0 (at least one); when the keys stay inside the margins no key is clamped. */
        private int margin;
        /** Whether the band packs count and sum into one double per bucket (unit weights, no clamping). */
        private boolean packed;
        /** The column offsets of the band, the last repeated to fill a multiple of four. */
        private final double[] offsets = new double[BAND];
        /**
         * Per column of the band, reused for every band this worker runs so they stay in cache: the sums
         * of weights and of weighted keys in each bucket, and the packed sums of the current window. One
         * array per column, so loops over a column's buckets index every array alike, which C2 needs
         * before it vectorises them.
         */
        private double[][] bucketW = new double[BAND][0];
        private double[][] bucketX = new double[BAND][0];
        private double[][] bucketPacked = new double[BAND][0];
        /** 1 / (OFFSET + j) for bucket j, for decoding packed sums. */
        private double[] reciprocal = new double[0];
        /** Sums of w and w x below each row, before the values are formed; r + margin per row. */
        private final double[] runningW;
        private final double[] runningX;
        private final double[] rowInFrame;
        private final double[][] block;

        Band(int row0, int rows) {
            this.row0 = row0;
            this.rows = rows;
            double[] dv = plane.dv();
            this.first = dv[row0];
            double h = rows > 1 ? (dv[row0 + rows - 1] - first) / (rows - 1) : 1;
            this.step = h > 0 ? h : 1;
            this.inverseStep = 1 / step;
            this.block = new double[BAND][rows + BLOCK_PAD];
            this.runningW = new double[rows];
            this.runningX = new double[rows];
            this.rowInFrame = new double[rows];
        }

        void run(int from, int to, float[] out) {
            int width = to - from;
            for (int c = 0; c < BAND; c++) {
                offsets[c] = plane.du()[Math.min(from + c, to - 1)];
            }
            select(offsets[0], offsets[width - 1]);
            int stride = rows + 2 * margin;
            int padded = (width + 3) & ~3;
            if (bucketW[0].length < stride) {
                bucketW = new double[BAND][stride];
                bucketX = new double[BAND][stride];
                bucketPacked = new double[BAND][stride];
                reciprocal = new double[stride];
                for (int j = 0; j < stride; j++) {
                    reciprocal[j] = 1 / (OFFSET + j);
                }
            }
            if (!packed) {
                for (int c = 0; c < padded; c++) {
                    Arrays.fill(bucketW[c], 0, stride, 0);
                    Arrays.fill(bucketX[c], 0, stride, 0);
                }
            }
            int windows = Math.max(1, (active + FLUSH - 1) / FLUSH);
            for (int window = 0; window < windows; window++) {
                int s1 = Math.min(active, (window + 1) * FLUSH);
                for (int k0 = window * FLUSH; k0 < s1; k0 += CHUNK) {
                    int k1 = Math.min(s1, k0 + CHUNK);
                    for (int c = 0; c < padded; c += 4) {
                        if (packed) {
                            scatterPacked(c, k0, k1);
                        } else {
                            scatterClamped(c, k0, k1, stride);
                        }
                    }
                }
                if (packed) {
                    decode(padded, stride, window > 0);
                }
            }
            for (int c = 0; c < width; c++) {
                column(from + c, bucketW[c], bucketX[c], block[c]);
            }
            int columns = plane.columns();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    out[r * columns + from + c] = (float) block[c][r];
                }
            }
        }

        /**
         * Scatters samples k0 .. k1-1 for the four columns from c, each key x + OFFSET added whole into
         * bucket floor(x): a bucket's sum is count * OFFSET + sum x, and as its keys lie in [j, j + 1) the
         * count is floor(sum / (OFFSET + j)) ({@link MaeSorted#packedCount}). One load-add-store per key
         * and column, against two and a clamp for {@link #scatterClamped}.
         */
        private void scatterPacked(int c, int k0, int k1) {
            double u0 = offsets[c];
            double u1 = offsets[c + 1];
            double u2 = offsets[c + 2];
            double u3 = offsets[c + 3];
            double[] sums0 = bucketPacked[c];
            double[] sums1 = bucketPacked[c + 1];
            double[] sums2 = bucketPacked[c + 2];
            double[] sums3 = bucketPacked[c + 3];
            int offset = (int) OFFSET;
            for (int k = k0; k < k1; k++) {
                double ak = a[k];
                double bk = b[k];
                double x0 = Math.fma(-u0, bk, ak);
                double x1 = Math.fma(-u1, bk, ak);
                double x2 = Math.fma(-u2, bk, ak);
                double x3 = Math.fma(-u3, bk, ak);
                sums0[(int) x0 - offset] += x0;
                sums1[(int) x1 - offset] += x1;
                sums2[(int) x2 - offset] += x2;
                sums3[(int) x3 - offset] += x3;
            }
        }

        /** Scatters weights and weighted keys for four columns, clamping keys to the buckets that exist. */
        private void scatterClamped(int c, int k0, int k1, int stride) {
            double u0 = offsets[c];
            double u1 = offsets[c + 1];
            double u2 = offsets[c + 2];
            double u3 = offsets[c + 3];
            double[] weights0 = bucketW[c];
            double[] weights1 = bucketW[c + 1];
            double[] weights2 = bucketW[c + 2];
            double[] weights3 = bucketW[c + 3];
            double[] keys0 = bucketX[c];
            double[] keys1 = bucketX[c + 1];
            double[] keys2 = bucketX[c + 2];
            double[] keys3 = bucketX[c + 3];
            int top = stride - 1;
            for (int k = k0; k < k1; k++) {
                double ak = a[k];
                double bk = b[k];
                double wk = w[k];
                double x0 = Math.fma(-u0, bk, ak);
                double x1 = Math.fma(-u1, bk, ak);
                double x2 = Math.fma(-u2, bk, ak);
                double x3 = Math.fma(-u3, bk, ak);
                int j0 = Math.max(0, Math.min((int) x0, top));
                int j1 = Math.max(0, Math.min((int) x1, top));
                int j2 = Math.max(0, Math.min((int) x2, top));
                int j3 = Math.max(0, Math.min((int) x3, top));
                weights0[j0] += wk;
                keys0[j0] += wk * x0;
                weights1[j1] += wk;
                keys1[j1] += wk * x1;
                weights2[j2] += wk;
                keys2[j2] += wk * x2;
                weights3[j3] += wk;
                keys3[j3] += wk * x3;
            }
        }

        /**
         * Moves a window's packed sums into the weight and key sums (added to the earlier windows', or
         * replacing them for the first) and clears them.
         */
        private void decode(int columns, int stride, boolean accumulate) {
            for (int c = 0; c < columns; c++) {
                double[] sums = bucketPacked[c];
                double[] weights = bucketW[c];
                double[] keys = bucketX[c];
                for (int j = 0; j < stride; j++) {
                    double sum = sums[j];
                    double count = packedCount(sum, reciprocal[j]);
                    double keySum = sum - count * OFFSET;
                    weights[j] = accumulate ? weights[j] + count : count;
                    keys[j] = accumulate ? keys[j] + keySum : keySum;
                    sums[j] = 0;
                }
            }
        }

        /**
         * Selects the samples the band scatters, for columns with offsets from uFirst to uLast. A sample's
         * key x(u) = A - u B is linear in u, so its extremes over the band are at the two end columns: a
         * sample whose key stays at or below the first row for the whole band is below every row of every
         * column, which {@link #column} adds in closed form from the sums kept here; one whose key stays
         * above the last row is never counted and is dropped. The rest move by at most the largest
         * |x(uFirst) - x(uLast)|, plus rounding, which sets the margin of buckets that holds them all
         * without clamping. (Putting them in the order of their buckets made the scatter no faster.)
         */
        private void select(double uFirst, double uLast) {
            allA = 0;
            allB = 0;
            belowWeight = 0;
            belowA = 0;
            belowB = 0;
            active = 0;
            double movement = 0;
            double magnitude = 0;
            double uMagnitude = Math.max(Math.abs(uFirst), Math.abs(uLast));
            for (int k = 0; k < alpha.length; k++) {
                double scaledA = (alpha[k] - first) * inverseStep;
                double scaledB = beta[k] * inverseStep;
                allA += weight[k] * scaledA;
                allB += weight[k] * scaledB;
                double x1 = scaledA - uFirst * scaledB;
                double x2 = scaledA - uLast * scaledB;
                if (Math.max(x1, x2) <= 0) {
                    belowWeight += weight[k];
                    belowA += weight[k] * scaledA;
                    belowB += weight[k] * scaledB;
                } else if (Math.min(x1, x2) <= rows - 1) {
                    movement = Math.max(movement, Math.abs(x1 - x2));
                    magnitude = Math.max(magnitude, Math.abs(scaledA) + uMagnitude * Math.abs(scaledB));
                    a[active] = scaledA;
                    b[active] = scaledB;
                    w[active] = weight[k];
                    active++;
                }
            }
            // active keys lie in (-movement, rows - 1 + movement] at every column of the band, give or take
            // a few units in the last place of the terms that make them (far more than the rounding)
            movement += (magnitude + OFFSET + maxMargin(rows)) * 0x1p-48;
            boolean inside = movement + 2 <= maxMargin(rows);
            margin = inside ? (int) movement + 2 : 1;
            packed = inside && unitWeights;
            double shift = margin + (packed ? OFFSET : 0);
            for (int k = 0; k < active; k++) {
                a[k] += shift;
            }
            for (int r = 0; r < rows; r++) {
                rowInFrame[r] = r + margin;
            }
        }

        /**
         * The tile's rows of column c into out[r]. In the band's frame, where a key is x = A - u B +
         * margin and row r lies at r + margin, n L(row r) = Z + h ((2 W_r - W_total)(r + margin) - 2 X_r +
         * X_total), with W_r and X_r the sums of w and w x over the keys strictly below the row: those below
         * the whole band plus buckets j < r + margin. A band's columns go into the block contiguously and are
         * transposed once, since writing each column straight into the row-major output misses the cache
         * on every row.
         */
        private void column(int c, double[] weights, double[] keys, double[] out) {
            double u = plane.du()[c];
            double z = 0;
            for (int i : flat) {
                z += Math.abs(plane.t()[i] - u * plane.p()[i]);
            }
            double totalX = allA - u * allB + margin * totalWeight;
            double lowW = belowWeight;
            double lowX = belowA - u * belowB + margin * belowWeight;
            for (int j = 0; j < margin; j++) {
                lowW += weights[j];
                lowX += keys[j];
            }
            // sums below each row, as two independent chains (first half, second half) to halve the add
            // latency; the second half's get the first half's totals when the values are formed
            int half = rows / 2;
            double highW = 0;
            double highX = 0;
            for (int r = 0; r < rows - half; r++) {
                if (r < half) {
                    runningW[r] = lowW;
                    runningX[r] = lowX;
                    lowW += weights[margin + r];
                    lowX += keys[margin + r];
                }
                runningW[half + r] = highW;
                runningX[half + r] = highX;
                highW += weights[margin + half + r];
                highX += keys[margin + half + r];
            }
            values(0, half, 0, 0, z, totalX, out);
            values(half, rows, lowW, lowX, z, totalX, out);
        }

        /**
         * L = (Z + h ((2 W - W_total) row - 2 X + X_total)) / n for rows from .. to-1, with W and X the running
         * sums plus the given totals, the row and keys in the band's frame. A loop of its own, so C2 vectorises it:
         * in doubles (JDK 17 does not vectorise the conversion to float; the transposition does it) and into
         * an array of the column's own, at the running sums' index (with an offset it cannot rule out aliasing).
         */
        private void values(int from, int to, double addW, double addX, double z, double totalX, double[] out) {
            for (int r = from; r < to; r++) {
                double w = runningW[r] + addW;
                double x = runningX[r] + addX;
                double sum = z + step * ((2 * w - totalWeight) * rowInFrame[r] - 2 * x + totalX);
                out[r] = Math.max(sum, 0) * inverseN;
            }
        }
    }
}
