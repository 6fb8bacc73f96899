package org.lossgrid.backend.cuda;

import java.util.ArrayList;
import java.util.List;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.backend.Uploads;
import org.lossgrid.loss.Loss;
import org.lossgrid.util.Releases;
import org.lossgrid.backend.SurfacePlane;

/**
 * Brute-force surface tiles on the GPU: a thread per column and {@code ROWS_PER_ITEM} rows, so a tile
 * has at most gridDim.y (65535) times that many rows; tiles are also sized to the free device memory.
 */
final class CudaSurfaceTiles implements SurfaceTiles {
    private static final int BLOCK_X = 128;

    private final CudaBackend backend;
    private final int n;
    private final int columns;
    private final List<CUdeviceptr> inputs;
    private final CUfunction function;
    private final float lossParameter;
    private final GrowableBuffer<CUdeviceptr> out;

    CudaSurfaceTiles(CudaBackend backend, Loss loss, SurfacePlane plane) {
        this.backend = backend;
        this.n = plane.samples();
        this.columns = plane.columns();
        SurfacePlane.Floats f = plane.floats();
        this.inputs = Uploads.all(List.of(f.t(), f.p(), f.q(), f.du(), f.dv()), array -> backend.upload(array, "surface plane"),
                CudaDataset::free);
        this.out = backend.growable("surface tile");
        try {
            this.function = backend.function("surface", loss);
            this.lossParameter = loss.kernelParameter();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public int maxRowsPerTile() {
        backend.makeCurrent();
        long free = backend.freeMemory() / 2;
        long launchable = (long) backend.maxGridY() * CudaKernels.ROWS_PER_ITEM;
        return (int) Math.max(1, Math.min(Math.min(Integer.MAX_VALUE / Math.max(1, columns), launchable),
                free / (4L * columns)));
    }

    @Override
    public long workingBytes(int rows) {
        return 4L * rows * columns;
    }

    @Override
    public void computeRows(int row0, int rows, float[] values) {
        long floats = (long) rows * columns;
        try {
            backend.makeCurrent();
            CUdeviceptr tile = out.atLeast(4L * floats);
            int gridX = (columns + BLOCK_X - 1) / BLOCK_X;
            int gridY = (rows + CudaKernels.ROWS_PER_ITEM - 1) / CudaKernels.ROWS_PER_ITEM;
            JCudaDriver.cuLaunchKernel(function, gridX, gridY, 1, BLOCK_X, 1, 1, 0, null,
                    CudaKernels.parameters("surface", inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3),
                            inputs.get(4), n, columns, row0, rows, tile, lossParameter), null);
            JCudaDriver.cuCtxSynchronize();
            JCudaDriver.cuMemcpyDtoH(Pointer.to(values), tile, 4L * floats);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "computing surface rows " + row0 + ".." + (row0 + rows - 1));
        }
    }

    /** Frees the tile and the plane, each even if an earlier free failed; the first failure is reported. */
    @Override
    public void close() {
        List<Runnable> releases = new ArrayList<>(List.of(backend::makeCurrent, out::close));
        inputs.forEach(input -> releases.add(() -> CudaDataset.free(input)));
        try {
            Releases.all(releases);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "freeing the surface buffers");
        }
    }
}
