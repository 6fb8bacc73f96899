package org.lossgrid.backend.opencl;

import static org.lossgrid.error.LossgridException.param;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.error.LossgridException;
import org.lossgrid.util.Bytes;

/** A float buffer on the device, released by {@link #close()}. */
final class OpenClBuffer implements AutoCloseable {
    final cl_mem mem;
    final int floats;
    private final OpenClBackend backend;
    private boolean released;

    private OpenClBuffer(OpenClBackend backend, cl_mem mem, int floats) {
        this.backend = backend;
        this.mem = mem;
        this.floats = floats;
    }

    /** A read-only copy of {@code data}. */
    static OpenClBuffer of(OpenClBackend backend, float[] data) {
        check(backend, data.length, "input data");
        cl_mem mem = CL.clCreateBuffer(backend.context(), CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
                (long) Sizeof.cl_float * Math.max(1, data.length), data.length == 0 ? null : Pointer.to(data), null);
        return new OpenClBuffer(backend, mem, data.length);
    }

    /** A buffer the kernels write and the host reads back. */
    static OpenClBuffer output(OpenClBackend backend, int floats, String what) {
        check(backend, floats, what);
        cl_mem mem = CL.clCreateBuffer(backend.context(), CL.CL_MEM_READ_WRITE, (long) Sizeof.cl_float * Math.max(1, floats),
                null, null);
        return new OpenClBuffer(backend, mem, floats);
    }

    /** A growable output buffer ({@link GrowableBuffer}): reductions and surface tiles reuse one across calls. */
    static GrowableBuffer<OpenClBuffer> growable(OpenClBackend backend, String what) {
        return new GrowableBuffer<>(new GrowableBuffer.Allocator<>() {
            @Override
            public OpenClBuffer allocate(long bytes) {
                return output(backend, Math.toIntExact((bytes + Sizeof.cl_float - 1) / Sizeof.cl_float), what);
            }

            @Override
            public void free(OpenClBuffer buffer) {
                buffer.close();
            }
        });
    }

    /** A buffer larger than the device allows in one allocation is a clear exit-4 error, not a CL failure. */
    private static void check(OpenClBackend backend, long floats, String what) {
        long bytes = floats * Sizeof.cl_float;
        long limit = backend.openClDevice().maxAllocation();
        if (bytes > limit) {
            throw LossgridException.resources("the " + what + " need " + Bytes.format(bytes) + " on the OpenCL device, "
                    + "above its largest allocation of " + Bytes.format(limit) + "; use fewer samples or " + param("backend") + " cpu");
        }
    }

    /** into[0 .. count) <- device; blocks until the queue has finished the writes before it. */
    void read(float[] into, int count) {
        if (count > 0) {
            CL.clEnqueueReadBuffer(backend.queue(), mem, CL.CL_TRUE, 0, (long) Sizeof.cl_float * count, Pointer.to(into),
                    0, null, null);
        }
    }

    /** device[0 .. count) <- from */
    void write(float[] from, int count) {
        if (count > 0) {
            CL.clEnqueueWriteBuffer(backend.queue(), mem, CL.CL_TRUE, 0, (long) Sizeof.cl_float * count, Pointer.to(from),
                    0, null, null);
        }
    }

    /** device[0 .. count) <- from, as 32-bit ints */
    void write(int[] from, int count) {
        if (count > 0) {
            CL.clEnqueueWriteBuffer(backend.queue(), mem, CL.CL_TRUE, 0, (long) Sizeof.cl_int * count, Pointer.to(from),
                    0, null, null);
        }
    }

    /** Releases the buffer once; later calls do nothing. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            CL.clReleaseMemObject(mem);
        }
    }
}
