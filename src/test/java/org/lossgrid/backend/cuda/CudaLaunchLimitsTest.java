package org.lossgrid.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lossgrid.TestData;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;
import org.lossgrid.reference.ReferenceSurface;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.Surface;
import org.lossgrid.surface.SurfaceEvaluator;
import org.lossgrid.util.Progress;

/**
 * Launches that a GPU refuses, found by review and reproduced on the emulated driver: more rows in one
 * surface tile than gridDim.y (65535) blocks of {@code ROWS_PER_ITEM} rows hold, and more parameter
 * sets in one batched reduction than gridDim.y; and an empty batch, which must launch nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaLaunchLimitsTest {
    private static final int GRID_Y_LIMIT = 65535;

    private Backend backend;

    @BeforeAll
    void open() {
        backend = CudaBackendContractTest.openOrSkip();
    }

    @AfterAll
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aSurfaceWithMoreRowsThanOneLaunchHoldsIsSplit() {
        int rows = GRID_Y_LIMIT * CudaKernels.ROWS_PER_ITEM + 4 * CudaKernels.ROWS_PER_ITEM + 3;
        Dataset data = TestData.random(11, 7, 1);
        GridSpec grid = new GridSpec(new Axis(0.9, 0.9, 1), new Axis(-1000, 1500, rows));
        Slice slice = Slice.wb(Params.zeros(1));
        double[] expected = ReferenceSurface.surface(Loss.MAE, data.roundedToFloat(), slice, grid);
        try (DeviceDataset device = backend.upload(data);
             SurfaceTiles tiles = device.surface(Loss.MAE, slice.plane(data, grid))) {
            Surface surface = new SurfaceEvaluator(1L << 30, Progress.NONE)
                    .inMemory(tiles, "brute", grid, slice, data.n(), List.of());
            for (int i = 0; i < rows; i++) {
                assertEquals(expected[i], surface.values()[i], 1e-5 * expected[i] + 1e-3, "row " + i);
            }
        }
    }

    @Test
    void aBatchOfMoreSetsThanOneLaunchHoldsIsSplit() {
        Dataset data = TestData.random(12, 7, 1);
        Params[] sets = new Params[GRID_Y_LIMIT + 2];
        for (int s = 0; s < sets.length; s++) {
            sets[s] = new Params(-300 + 0.01 * s, new double[] {0.5 + 1e-5 * s});
        }
        try (DeviceDataset device = backend.upload(data)) {
            LossGradient[] results = device.lossAndGradientBatch(Loss.MSE, sets);
            assertEquals(sets.length, results.length);
            for (int s : new int[] {0, 1, GRID_Y_LIMIT - 1, GRID_Y_LIMIT, GRID_Y_LIMIT + 1}) {
                LossGradient expected = Reference.lossAndGradient(Loss.MSE, data.roundedToFloat(), sets[s]);
                assertEquals(expected.loss(), results[s].loss(), 1e-5 * expected.loss(), "loss of set " + s);
                for (int g = 0; g < 2; g++) {
                    assertEquals(expected.gradient(g), results[s].gradient(g), 1e-4 * Math.abs(expected.gradient(g)) + 1e-6,
                            "gradient " + g + " of set " + s);
                }
            }
        }
    }

    @Test
    void anEmptyBatchLaunchesNothing() {
        try (DeviceDataset device = backend.upload(TestData.random(13, 7, 1))) {
            assertEquals(0, device.lossAndGradientBatch(Loss.MAE, new Params[0]).length);
        }
    }
}
