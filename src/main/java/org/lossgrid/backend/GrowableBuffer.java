package org.lossgrid.backend;

/**
 * A device allocation kept across calls and replaced by a larger one only when a call needs more: the
 * reductions of a training run and the tiles of a surface reuse one buffer instead of paying an
 * allocation and a synchronising free each time. The old allocation is released before the new one is
 * requested, and a failed request leaves the buffer empty, never holding a released handle.
 *
 * @param <H> the device's handle of an allocation (a {@code cl_mem} wrapper, a {@code CUdeviceptr})
 */
public final class GrowableBuffer<H> implements AutoCloseable {
    /** How a device allocates and frees. */
    public interface Allocator<H> {
        /** An allocation of at least {@code bytes}; a request the device cannot meet throws. */
        H allocate(long bytes);

        void free(H handle);
    }

    private final Allocator<H> allocator;
    private H handle;
    private long capacity;

    public GrowableBuffer(Allocator<H> allocator) {
        this.allocator = allocator;
    }

    /** The allocation, replaced first by one of {@code bytes} if it holds fewer. */
    public H atLeast(long bytes) {
        if (handle == null || bytes > capacity) {
            close();
            handle = allocator.allocate(bytes);
            capacity = bytes;
        }
        return handle;
    }

    /** Frees the allocation, if any; the buffer can grow again afterwards. */
    @Override
    public void close() {
        H held = handle;
        handle = null;
        capacity = 0;
        if (held != null) {
            allocator.free(held);
        }
    }
}
