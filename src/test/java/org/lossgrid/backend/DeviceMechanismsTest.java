package org.lossgrid.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The mechanisms the device backends share: the kernel cache, the growable buffer, uploads with rollback, the constants. */
class DeviceMechanismsTest {
    /** A fake device: allocations are numbered; it records frees and can refuse the next allocation. */
    private static final class FakeDevice implements GrowableBuffer.Allocator<Integer> {
        final List<Integer> freed = new ArrayList<>();
        int next;
        boolean refuse;

        @Override
        public Integer allocate(long bytes) {
            if (refuse) {
                throw new IllegalStateException("out of device memory");
            }
            return next++;
        }

        @Override
        public void free(Integer handle) {
            freed.add(handle);
        }
    }

    @Test
    void theCacheBuildsEachSourceAndDefinesOnceAndReleasesAllOnClose() {
        List<String> released = new ArrayList<>();
        KernelCache<String> cache = new KernelCache<>(released::add);
        List<KernelCache.Key> builds = new ArrayList<>();
        KernelCache.Key mae = new KernelCache.Key("opencl/lossgrid.cl", List.of("LOSS=0", "K=1"));
        String first = cache.get(mae, key -> {
            builds.add(key);
            return "program " + builds.size();
        });
        String again = cache.get(new KernelCache.Key("opencl/lossgrid.cl", List.of("LOSS=0", "K=1")), key -> "rebuilt");
        cache.get(new KernelCache.Key("opencl/lossgrid.cl", List.of("LOSS=1", "K=1")), key -> "program mse");
        assertSame(first, again);
        assertEquals(1, builds.size());
        assertEquals(List.of("-D LOSS=0", "-D K=1"), mae.options("-D "));
        cache.close();
        assertEquals(List.of("program 1", "program mse"), released);
        cache.close();
        assertEquals(2, released.size(), "closing twice releases nothing more");
    }

    @Test
    void aFailedBuildIsNotCached() {
        KernelCache<String> cache = new KernelCache<>(value -> { });
        KernelCache.Key key = new KernelCache.Key("cuda/lossgrid.cu", List.of("LOSS=2"));
        assertThrows(IllegalStateException.class, () -> cache.get(key, k -> {
            throw new IllegalStateException("build log");
        }));
        assertEquals("built", cache.get(key, k -> "built"));
    }

    @Test
    void theBufferGrowsOnlyWhenNeededAndIsEmptyAfterARefusedAllocation() {
        FakeDevice device = new FakeDevice();
        GrowableBuffer<Integer> buffer = new GrowableBuffer<>(device);
        assertEquals(0, buffer.atLeast(100));
        assertEquals(0, buffer.atLeast(50), "a smaller request reuses the allocation");
        assertEquals(1, buffer.atLeast(200));
        assertEquals(List.of(0), device.freed, "the old allocation is freed before the larger one");
        device.refuse = true;
        assertThrows(IllegalStateException.class, () -> buffer.atLeast(400));
        assertEquals(List.of(0, 1), device.freed);
        device.refuse = false;
        assertEquals(2, buffer.atLeast(10), "after a refusal the buffer allocates afresh, never hands back a freed one");
        buffer.close();
        buffer.close();
        assertEquals(List.of(0, 1, 2), device.freed);
    }

    @Test
    void aFailedUploadFreesWhatWasAlreadyUploaded() {
        List<float[]> arrays = List.of(new float[1], new float[2], new float[3]);
        List<Integer> freed = new ArrayList<>();
        RuntimeException e = assertThrows(RuntimeException.class, () -> Uploads.all(arrays, array -> {
            if (array.length == 3) {
                throw new RuntimeException("device full");
            }
            return array.length;
        }, freed::add));
        assertEquals("device full", e.getMessage());
        assertEquals(List.of(2, 1), freed, "freed last first");
        assertEquals(List.of(1, 2, 3), Uploads.all(arrays, array -> array.length, freed::add));
    }

    @Test
    void theConstantsTableFeedsEveryFamily() {
        KernelConstants opencl = KernelConstants.of("opencl");
        KernelConstants cuda = KernelConstants.of("cuda");
        assertEquals(32, opencl.get("ROWS_PER_ITEM"), "the OpenCL surface kernel holds its rows as two float16");
        assertTrue(opencl.defines().contains("CHUNK=" + opencl.get("CHUNK")));
        assertTrue(cuda.defines().containsAll(List.of("MAX_K=" + cuda.get("MAX_K"), "ROWS_PER_ITEM=" + cuda.get("ROWS_PER_ITEM"))));
        assertThrows(IllegalStateException.class, () -> cuda.get("NO_SUCH_CONSTANT"));
        assertThrows(IllegalStateException.class, () -> KernelConstants.of("vulkan"));
    }
}
