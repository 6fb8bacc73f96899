package org.lossgrid.backend.opencl;

import java.util.List;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.backend.Uploads;
import org.lossgrid.loss.Loss;
import org.lossgrid.backend.SurfacePlane;

/**
 * Brute-force surface tiles on an OpenCL device: the plane (t, p, q, du, dv) is uploaded once; each
 * tile is one launch of {@code surface} into a device buffer that is copied back. Tiles respect the
 * device's largest allocation.
 */
final class OpenClSurfaceTiles implements SurfaceTiles {
    /** Work-items per group along the columns. */
    private static final int LOCAL = 64;

    private final OpenClBackend backend;
    private final int n;
    private final int columns;
    private final List<OpenClBuffer> inputs;
    private final cl_kernel kernel;
    private final float lossParameter;
    private final GrowableBuffer<OpenClBuffer> out;

    OpenClSurfaceTiles(OpenClBackend backend, Loss loss, SurfacePlane plane) {
        this.backend = backend;
        this.n = plane.samples();
        this.columns = plane.columns();
        SurfacePlane.Floats f = plane.floats();
        this.inputs = Uploads.all(List.of(f.t(), f.p(), f.q(), f.du(), f.dv()), array -> OpenClBuffer.of(backend, array),
                OpenClBuffer::close);
        this.out = OpenClBuffer.growable(backend, "surface tile");
        try {
            this.kernel = backend.kernel("surface", loss.kernelId(), 1);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.lossParameter = loss.kernelParameter();
    }

    @Override
    public int maxRowsPerTile() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                backend.openClDevice().maxAllocation() / ((long) Sizeof.cl_float * columns)));
    }

    @Override
    public long workingBytes(int rows) {
        return (long) Sizeof.cl_float * rows * columns;
    }

    @Override
    public void computeRows(int row0, int rows, float[] values) {
        try {
            int floats = rows * columns;
            OpenClBuffer tile = out.atLeast((long) Sizeof.cl_float * floats);
            for (int a = 0; a < inputs.size(); a++) {
                CL.clSetKernelArg(kernel, a, Sizeof.cl_mem, Pointer.to(inputs.get(a).mem));
            }
            CL.clSetKernelArg(kernel, 5, Sizeof.cl_int, Pointer.to(new int[] {n}));
            CL.clSetKernelArg(kernel, 6, Sizeof.cl_int, Pointer.to(new int[] {columns}));
            CL.clSetKernelArg(kernel, 7, Sizeof.cl_int, Pointer.to(new int[] {row0}));
            CL.clSetKernelArg(kernel, 8, Sizeof.cl_int, Pointer.to(new int[] {rows}));
            CL.clSetKernelArg(kernel, 9, Sizeof.cl_mem, Pointer.to(tile.mem));
            CL.clSetKernelArg(kernel, 10, Sizeof.cl_float, Pointer.to(new float[] {lossParameter}));
            long globalColumns = (long) (columns + LOCAL - 1) / LOCAL * LOCAL;
            long rowItems = (rows + OpenClBackend.ROWS_PER_ITEM - 1) / OpenClBackend.ROWS_PER_ITEM;
            CL.clEnqueueNDRangeKernel(backend.queue(), kernel, 2, null, new long[] {globalColumns, rowItems},
                    new long[] {LOCAL, 1}, 0, null, null);
            tile.read(values, floats);
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "computing surface rows " + row0 + ".." + (row0 + rows - 1));
        }
    }

    @Override
    public void close() {
        out.close();
        inputs.forEach(OpenClBuffer::close);
    }
}
