package org.lossgrid.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device allocation kept across calls and replaced by a larger one only when a call needs more:
 * the reductions of a training run and the tiles of a surface reuse one buffer instead of paying
 * cuMemAlloc and a synchronising cuMemFree each time.
 */
final class GrowingBuffer implements AutoCloseable {
    private final CudaBackend backend;
    private final String what;
    private CUdeviceptr pointer;
    private long capacity;

    GrowingBuffer(CudaBackend backend, String what) {
        this.backend = backend;
        this.what = what;
    }

    /** The buffer, reallocated first if it holds fewer than {@code bytes}. */
    CUdeviceptr atLeast(long bytes) {
        if (bytes > capacity) {
            close();
            pointer = backend.allocate(bytes, what);
            capacity = bytes;
        }
        return pointer;
    }

    @Override
    public void close() {
        CudaDataset.free(pointer);
        pointer = null;
        capacity = 0;
    }
}
