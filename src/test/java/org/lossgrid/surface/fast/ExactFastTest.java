package org.lossgrid.surface.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lossgrid.Nist;
import org.lossgrid.TestData;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.ReferenceSurface;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.util.Progress;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceEvaluator;
import org.lossgrid.backend.SurfacePlane;

/** Exact-fast surfaces equal the double-precision brute-force reference within 1e-5 relative. */
class ExactFastTest {
    private static final double RELATIVE = 1e-5;

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 2, 7, 1000, 1461, 100003})
    void randomDataAtOddSizes(int n) {
        Dataset data = TestData.random(n + 5, n, 1);
        GridSpec grid = new GridSpec(new Axis(0.3, 1.6, 17), new Axis(-1500, 2200, 13));
        for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
            check(data, loss, Slice.wb(Params.zeros(1)), grid);
        }
    }

    @Test
    void tiesRepeatedResidualsAndGridValuesOnAResidual() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] y = {10, 10, 10, 20, 20, 30, 30, 30};
        Dataset data = new Dataset("ties", List.of("x"), new double[][] {x}, y);
        // w = 0 makes the residuals y - b, which the b axis hits exactly at 10, 20 and 30
        GridSpec grid = new GridSpec(new Axis(-1, 1, 3), new Axis(0, 40, 9));
        for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
            check(data, loss, Slice.wb(Params.zeros(1)), grid);
        }
        Dataset same = new Dataset("same x", List.of("x"), new double[][] {{3, 3, 3, 3}}, new double[] {5, 5, 5, 6});
        for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
            check(same, loss, Slice.wb(Params.zeros(1)), new GridSpec(new Axis(0, 2, 5), new Axis(-3, 3, 7)));
        }
    }

    @Test
    void negativeAndHugeValuesFarFromTheOrigin() {
        Random random = new Random(3);
        int n = 501;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -3e6 + 1000 * random.nextGaussian();
            y[i] = -7e8 + 2 * x[i] + 50 * random.nextGaussian();
        }
        Dataset data = new Dataset("far", List.of("x"), new double[][] {x}, y);
        // keys y - w x = -7e8 + (2 - w) x + noise lie within 3e4 of -7e8, inside the rows
        GridSpec grid = new GridSpec(new Axis(1.99, 2.01, 21), new Axis(-7e8 - 4e4, -7e8 + 4e4, 19));
        for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
            check(data, loss, Slice.wb(Params.zeros(1)), grid);
        }
    }

    @Test
    void tensOfThousandsOfEqualKeysInOneBucketAcrossDecodeWindows() {
        // With x = 1 and integer w and b, the keys y - w of y = 5 lie exactly on a row, and those of
        // y = 4.75 three quarters into a bucket, at every column; in sample order, 3 windows of 2^14 keys
        // on rows (a power of two, exact multiples to decode), then 6 of 2^14 at 0.75 (more than a
        // single window could decode: 0.75 * 6 * 2^14 exceeds the offset); 7 keys of y = 6 keep L above 0
        int window = 1 << 14;
        int n = 9 * window + 7;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1;
            y[i] = i < 3 * window ? 5 : i < 9 * window ? 4.75 : 6;
        }
        Dataset data = new Dataset("equal keys", List.of("x"), new double[][] {x}, y);
        for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
            check(data, loss, Slice.wb(Params.zeros(1)), new GridSpec(new Axis(-10, 10, 21), new Axis(-20, 20, 41)));
        }
    }

    @Test
    void packedBucketsDecodeToTheirCountForEveryBucketAndUpToAWindowOfKeys() {
        for (int j = 0; j < 8192; j++) {
            double reciprocal = 1 / (MaeSorted.OFFSET + j);
            for (int count : new int[] {1, 2, 3, 1000, 12345, MaeSorted.FLUSH - 1, MaeSorted.FLUSH}) {
                double onBucket = count * (MaeSorted.OFFSET + j);
                double nearNext = onBucket + count * (1 - 0x1p-20);
                assertEquals(count, MaeSorted.packedCount(onBucket, reciprocal), "keys at " + j + ", " + count);
                assertEquals(count, MaeSorted.packedCount(nearNext, reciprocal), "below " + (j + 1) + ", " + count);
            }
        }
    }

    @Test
    void steepColumnsWhoseKeysCrossEveryRowWithinABand() {
        // w spans 2000 over 37 columns while b has 13 rows 308 apart: with x near 1000 a key moves about
        // 180 rows from one column to the next, beyond any margin, so bands clamp keys instead of packing
        Dataset data = TestData.random(29, 701, 1);
        GridSpec grid = new GridSpec(new Axis(-1000, 1000, 37), new Axis(-1500, 2200, 13));
        for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
            check(data, loss, Slice.wb(Params.zeros(1)), grid);
        }
    }

    @Test
    void nearPerfectFitNorris() {
        Dataset norris = Nist.load("norris");
        GridSpec grid = new GridSpec(new Axis(1.001, 1.003, 31), new Axis(-1, 0.5, 29));
        for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
            check(norris, loss, Slice.wb(Params.zeros(1)), grid);
        }
    }

    @Test
    void randomSlicesOfMultiFeatureModels() {
        Random random = new Random(17);
        for (int trial = 0; trial < 30; trial++) {
            int k = 2 + random.nextInt(3);
            int n = 1 + random.nextInt(400);
            Dataset data = TestData.random(trial, n, k);
            int h = random.nextInt(k + 1);
            int v = (h + 1 + random.nextInt(k)) % (k + 1);
            double[] at = new double[k];
            for (int j = 0; j < k; j++) {
                at[j] = random.nextDouble() * 0.6;
            }
            Slice slice = new Slice(h, v, new Params(random.nextGaussian() * 200, at));
            GridSpec grid = new GridSpec(axis(random, h), axis(random, v));
            for (Loss loss : List.of(Loss.MAE, Loss.MSE)) {
                check(data, loss, slice, grid);
            }
        }
    }

    private static Axis axis(Random random, int param) {
        int points = 1 + random.nextInt(40);
        double centre = param == 0 ? random.nextGaussian() * 500 : random.nextDouble();
        double half = param == 0 ? 100 + random.nextDouble() * 2000 : 0.01 + random.nextDouble();
        return points == 1 ? new Axis(centre, centre, 1) : new Axis(centre - half, centre + half, points);
    }

    private static void check(Dataset data, Loss loss, Slice slice, GridSpec grid) {
        double[] expected = ReferenceSurface.surface(loss, data.roundedToFloat(), slice, grid);
        SurfacePlane plane = slice.plane(data, grid);
        SurfaceTiles tiles = loss instanceof Loss.Mse ? new MseClosedForm(plane) : new MaeSorted(plane);
        // all rows in one tile, then a small budget that forces several row tiles, each with its own
        // buckets and margins (a tile of few rows leaves MAE little margin, so its bands mostly clamp)
        long small = tiles.workingBytes(0) + Math.max(4096, grid.points() * 4 / 3 + grid.columns() * 16L) * 8;
        for (long budget : new long[] {1L << 30, small}) {
            float[] values = new SurfaceEvaluator(budget, Progress.NONE)
                    .inMemory(tiles, "exact-fast", grid, slice, data.n(), new ArrayList<>()).values();
            for (int i = 0; i < expected.length; i++) {
                double error = Math.abs(values[i] - expected[i]);
                assertTrue(error <= RELATIVE * Math.abs(expected[i]) + 1e-300, loss.name() + " " + data.name()
                        + " point " + i + " with a budget of " + budget + " bytes: expected " + expected[i] + ", got "
                        + values[i]);
            }
        }
    }
}
