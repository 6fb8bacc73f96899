package org.lossgrid.surface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.util.Progress;
import org.lossgrid.TestData;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.backend.cpu.CpuBackend;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.output.NpySink;
import org.lossgrid.output.OutputSet;

class SurfaceEvaluatorTest {
    @TempDir
    Path folder;

    private final Dataset data = TestData.random(5, 301, 1);
    private final Slice slice = Slice.wb(Params.zeros(1));

    @Test
    void tilesUnderATightBudgetGiveTheSameSurface() {
        GridSpec grid = new GridSpec(new Axis(0.5, 1.3, 57), new Axis(-500, 800, 41));
        try (CpuBackend cpu = new CpuBackend(); DeviceDataset device = cpu.upload(data)) {
            float[] whole = surface(device, grid, 1 << 24).values();
            List<Integer> tileRows = new ArrayList<>();
            Surface tiled = surface(device, grid, whole.length * 4L + 57 * 4 * 3, tileRows);
            assertArrayEquals(whole, tiled.values());
            assertTrue(tileRows.size() > 5, "tiles " + tileRows);
            Surface reference = surface(device, grid, 1 << 24);
            assertEquals(reference.result().argmin(), tiled.result().argmin());
        }
    }

    @Test
    void aSurfaceLargerThanTheBudgetIsAResourceErrorInMemoryButStreamsToNpy() throws IOException {
        GridSpec grid = new GridSpec(new Axis(0.5, 1.3, 300), new Axis(-500, 800, 200));
        try (CpuBackend cpu = new CpuBackend(); DeviceDataset device = cpu.upload(data);
             SurfaceTiles tiles = device.surface(Loss.MAE, slice.plane(data, grid))) {
            LossgridException e = assertThrows(LossgridException.class,
                    () -> new SurfaceEvaluator(100_000, Progress.NONE).inMemory(tiles, "brute", grid, slice, data.n(), List.of()));
            assertEquals(LossgridException.Kind.RESOURCES, e.kind());
            assertTrue(e.getMessage().contains("234.4 KiB in memory, above the budget of 97.7 KiB"), e.getMessage());
            Path npy = folder.resolve("s.npy");
            try (OutputSet outputs = new OutputSet()) {
                NpySink sink = new NpySink(outputs.open(npy));
                new SurfaceEvaluator(100_000, Progress.NONE).run(tiles, "brute", grid, slice, data.n(), List.of(sink));
                outputs.commit();
            }
            float[] stored = readNpy(npy, 200, 300);
            float[] expected = surface(device, grid, 1 << 24).values();
            assertArrayEquals(expected, stored);
        }
    }

    @Test
    void aRowThatCannotFitIsExplained() {
        GridSpec grid = new GridSpec(new Axis(0.5, 1.3, 4096), new Axis(-500, 800, 3));
        try (CpuBackend cpu = new CpuBackend(); DeviceDataset device = cpu.upload(data);
             SurfaceTiles tiles = device.surface(Loss.MAE, slice.plane(data, grid))) {
            LossgridException e = assertThrows(LossgridException.class,
                    () -> new SurfaceEvaluator(1000, Progress.NONE).run(tiles, "brute", grid, slice, data.n(), List.of()));
            assertEquals(LossgridException.Kind.RESOURCES, e.kind());
            assertTrue(e.getMessage().contains("one row of 4096 grid points"), e.getMessage());
        }
    }

    @Test
    void a16384SquaredSurfaceStreamsWithinASmallBudget() throws IOException {
        Dataset tiny = TestData.random(3, 3, 1);
        GridSpec grid = new GridSpec(new Axis(0, 2, 16384), new Axis(-1000, 1000, 16384));
        Path npy = folder.resolve("big.npy");
        try (CpuBackend cpu = new CpuBackend(); DeviceDataset device = cpu.upload(tiny);
             SurfaceTiles tiles = device.surface(Loss.MSE, slice.plane(tiny, grid));
             OutputSet outputs = new OutputSet()) {
            SurfaceResult result = new SurfaceEvaluator(64L << 20, Progress.NONE)
                    .run(tiles, "brute", grid, slice, tiny.n(), List.of(new NpySink(outputs.open(npy))));
            outputs.commit();
            assertEquals(128 + 4L * 16384 * 16384, Files.size(npy));
            assertTrue(result.argmin().loss() < 1e5);
        }
        try (RandomAccessFile file = new RandomAccessFile(npy.toFile(), "r")) {
            for (int row : new int[] {0, 8191, 16383}) {
                byte[] bytes = new byte[4 * 3];
                file.seek(128 + 4L * ((long) row * 16384 + 100));
                file.readFully(bytes);
                ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int c = 100; c < 103; c++) {
                    double expected = org.lossgrid.reference.Reference.loss(Loss.MSE, tiny.roundedToFloat(),
                            slice.point(grid.horizontal().value(c), grid.vertical().value(row)));
                    assertEquals(expected, buffer.getFloat(), 1e-5 * expected + 1e-3);
                }
            }
        } finally {
            Files.deleteIfExists(npy);
        }
    }

    private Surface surface(DeviceDataset device, GridSpec grid, long budget) {
        return surface(device, grid, budget, new ArrayList<>());
    }

    private Surface surface(DeviceDataset device, GridSpec grid, long budget, List<Integer> tileRows) {
        try (SurfaceTiles tiles = device.surface(Loss.MAE, slice.plane(data, grid))) {
            return new SurfaceEvaluator(budget, Progress.NONE).inMemory(tiles, "brute", grid, slice, data.n(),
                    List.of((row0, rows, values) -> tileRows.add(rows)));
        }
    }

    static float[] readNpy(Path npy, int rows, int columns) throws IOException {
        byte[] bytes = Files.readAllBytes(npy);
        String header = new String(bytes, 10, 118, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + columns + "), }"), header);
        assertEquals('\n', header.charAt(117));
        float[] values = new float[rows * columns];
        ByteBuffer.wrap(bytes, 128, bytes.length - 128).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
