package org.lossgrid.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.loss.Loss;

/**
 * The emulated CUDA driver of the test tree (src/test/cuda-emulator) refuses what a GPU refuses, with the
 * GPU's error: launch limits, out-of-bounds accesses (sticky), leaks at context destruction, calls from a
 * thread without a current context, allocations beyond the device memory, and images a driver cannot
 * load; and its concurrency catches broken reductions (the C++ self-test). Calls JCuda's driver API
 * directly with the packaged PTX. Runs where the emulator is the driver on the library path, skips
 * elsewhere, and fails under {@code LOSSGRID_CUDA_EMULATOR=1} when the emulator did not load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaEmulatorTest {
    private static final String DEVICE_NAME = "lossgrid CUDA emulator (emulated, not a GPU)";
    private static final int GRID_Y_LIMIT = 65535;
    private static final int SHARED_LIMIT = 48 * 1024;
    /** The static __shared__ bytes of loss_grad: warpHi and warpLo, 32 floats each. */
    private static final int LOSS_GRAD_STATIC_SHARED = 2 * 32 * Float.BYTES;

    @BeforeAll
    void requireTheEmulator() {
        String missing = whyTheEmulatorIsMissing();
        if ("1".equals(System.getenv("LOSSGRID_CUDA_EMULATOR")) && missing != null) {
            fail("LOSSGRID_CUDA_EMULATOR=1 but the emulated CUDA driver is not loaded: " + missing);
        }
        assumeTrue(missing == null, () -> "no emulated CUDA driver: " + missing);
    }

    private static String whyTheEmulatorIsMissing() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            String name = deviceName();
            return name.startsWith(CudaProvider.EMULATOR) ? null : "device 0 is " + name;
        } catch (LinkageError e) {
            return "no libcuda.so.1 on the library path (" + e.getMessage() + ")";
        } catch (CudaException e) {
            return e.getMessage();
        }
    }

    private static String deviceName() {
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device());
        int end = 0;
        while (name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, StandardCharsets.UTF_8);
    }

    private static CUdevice device() {
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, 0);
        return device;
    }

    private static int attribute(int attribute) {
        int[] value = new int[1];
        JCudaDriver.cuDeviceGetAttribute(value, attribute, device());
        return value[0];
    }

    /** A context current on this thread, destroyed by close(), which fails if anything leaked. */
    private static final class Context implements AutoCloseable {
        final CUcontext handle = new CUcontext();
        private boolean destroyed;

        Context() {
            JCudaDriver.cuCtxCreate(handle, 0, device());
        }

        CUmodule load(Loss.Kind kind) {
            return load(ptx(kind));
        }

        CUmodule load(String image) {
            CUmodule module = new CUmodule();
            JCudaDriver.cuModuleLoadData(module, (image + "\0").getBytes(StandardCharsets.UTF_8));
            return module;
        }

        CUdeviceptr allocate(long bytes) {
            CUdeviceptr pointer = new CUdeviceptr();
            JCudaDriver.cuMemAlloc(pointer, bytes);
            return pointer;
        }

        CUdeviceptr upload(float[] values) {
            CUdeviceptr pointer = allocate((long) Float.BYTES * values.length);
            JCudaDriver.cuMemcpyHtoD(pointer, Pointer.to(values), (long) Float.BYTES * values.length);
            return pointer;
        }

        void destroy() {
            destroyed = true;
            JCudaDriver.cuCtxDestroy(handle);
        }

        @Override
        public void close() {
            if (!destroyed) {
                destroy();
            }
        }
    }

    private static CUfunction function(CUmodule module, String name) {
        CUfunction function = new CUfunction();
        JCudaDriver.cuModuleGetFunction(function, module, name);
        return function;
    }

    private static void launch(CUfunction function, int[] grid, int[] block, int sharedBytes, Pointer parameters) {
        JCudaDriver.cuLaunchKernel(function, grid[0], grid[1], grid[2], block[0], block[1], block[2], sharedBytes,
                null, parameters, null);
        JCudaDriver.cuCtxSynchronize();
    }

    /** Runs the call and checks that the driver refused it with this CUresult name. */
    private static void assertRefused(String error, Executable call) {
        CudaException e = assertThrows(CudaException.class, call);
        assertTrue(String.valueOf(e.getMessage()).contains(error), () -> "expected " + error + ", got " + e.getMessage());
    }

    /**
     * The brute-force surface kernel of one sample (t=1, p=q=0) over `rows` rows and one column: every
     * value is the MSE term 1. Its buffers are freed by the caller through {@link #free}.
     */
    private record Surface(CUdeviceptr[] buffers, Pointer parameters, int rows) {
        static Surface of(Context context, int rows, int outputFloats) {
            CUdeviceptr t = context.upload(new float[] {1});
            CUdeviceptr p = context.upload(new float[] {0});
            CUdeviceptr q = context.upload(new float[] {0});
            CUdeviceptr du = context.upload(new float[] {0});
            CUdeviceptr dv = context.upload(new float[rows]);
            CUdeviceptr out = context.upload(new float[outputFloats]);
            return new Surface(new CUdeviceptr[] {t, p, q, du, dv, out},
                    CudaKernels.parameters("surface", t, p, q, du, dv, 1, 1, 0, rows, out, 0f), rows);
        }

        int blocksInY() {
            return (rows + CudaKernels.ROWS_PER_ITEM - 1) / CudaKernels.ROWS_PER_ITEM;
        }

        float[] values() {
            float[] values = new float[rows];
            JCudaDriver.cuMemcpyDtoH(Pointer.to(values), buffers[5], (long) Float.BYTES * rows);
            return values;
        }

        void free() {
            Arrays.stream(buffers).forEach(JCudaDriver::cuMemFree);
        }
    }

    /** loss_grad over n samples of k = 1 feature, with buffers of `stored` samples. */
    private record Reduction(CUdeviceptr[] buffers, Pointer parameters) {
        static Reduction of(Context context, int n, int stored, int blocks) {
            CUdeviceptr y = context.upload(new float[stored]);
            CUdeviceptr x = context.upload(new float[stored]);
            CUdeviceptr params = context.upload(new float[4]);
            CUdeviceptr partials = context.upload(new float[blocks * 3 * 2]);
            return new Reduction(new CUdeviceptr[] {y, x, params, partials},
                    CudaKernels.parameters("loss_grad", y, x, n, 1, params, partials, 0f));
        }

        void free() {
            Arrays.stream(buffers).forEach(JCudaDriver::cuMemFree);
        }
    }

    @Test
    void theDeviceSaysItIsTheEmulator() {
        assertEquals(DEVICE_NAME, deviceName());
        assertEquals(8, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR));
        assertEquals(0, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR));
        assertEquals(4, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
        assertEquals(1024, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK));
        assertEquals(Integer.MAX_VALUE, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X));
        assertEquals(GRID_Y_LIMIT, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y));
        assertEquals(SHARED_LIMIT, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK));
        assertEquals(32, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_WARP_SIZE));
        int[] version = new int[1];
        JCudaDriver.cuDriverGetVersion(version);
        assertEquals(12060, version[0]);
    }

    @Test
    void gridDimensionsBeyondTheGpuLimitsAreRefused() {
        int rows = GRID_Y_LIMIT * CudaKernels.ROWS_PER_ITEM;
        try (Context context = new Context()) {
            CUmodule module = context.load(Loss.Kind.MSE);
            CUfunction surface = function(module, "surface");
            Surface s = Surface.of(context, rows, rows);
            launch(surface, new int[] {1, s.blocksInY(), 1}, new int[] {1, 1, 1}, 0, s.parameters());
            float[] ones = new float[rows];
            Arrays.fill(ones, 1f);
            assertArrayEquals(ones, s.values(), "every one of 65535 blocks in y ran");
            assertRefused("CUDA_ERROR_INVALID_VALUE",
                    () -> launch(surface, new int[] {1, GRID_Y_LIMIT + 1, 1}, new int[] {1, 1, 1}, 0, s.parameters()));
            assertRefused("CUDA_ERROR_INVALID_VALUE",
                    () -> launch(surface, new int[] {1, 1, GRID_Y_LIMIT + 1}, new int[] {1, 1, 1}, 0, s.parameters()));
            assertRefused("CUDA_ERROR_INVALID_VALUE",
                    () -> launch(surface, new int[] {0, 1, 1}, new int[] {1, 1, 1}, 0, s.parameters()));
            s.free();
            JCudaDriver.cuModuleUnload(module);
        }
    }

    @Test
    void blocksOfMoreThan1024ThreadsAreRefused() {
        try (Context context = new Context()) {
            CUmodule module = context.load(Loss.Kind.MAE);
            CUfunction lossGrad = function(module, "loss_grad");
            Reduction r = Reduction.of(context, 1000, 1000, 1);
            launch(lossGrad, new int[] {1, 1, 1}, new int[] {1024, 1, 1}, 0, r.parameters());
            assertRefused("CUDA_ERROR_INVALID_VALUE",
                    () -> launch(lossGrad, new int[] {1, 1, 1}, new int[] {1025, 1, 1}, 0, r.parameters()));
            assertRefused("CUDA_ERROR_INVALID_VALUE",
                    () -> launch(lossGrad, new int[] {1, 1, 1}, new int[] {512, 2, 2}, 0, r.parameters()));
            assertRefused("CUDA_ERROR_INVALID_VALUE",
                    () -> launch(lossGrad, new int[] {1, 1, 1}, new int[] {1, 1, 65}, 0, r.parameters()));
            r.free();
            JCudaDriver.cuModuleUnload(module);
        }
    }

    @Test
    void moreThan48KiBOfSharedMemoryIsRefused() {
        try (Context context = new Context()) {
            CUmodule module = context.load(Loss.Kind.HUBER);
            CUfunction lossGrad = function(module, "loss_grad");
            Reduction r = Reduction.of(context, 64, 64, 1);
            int fits = SHARED_LIMIT - LOSS_GRAD_STATIC_SHARED;
            launch(lossGrad, new int[] {1, 1, 1}, new int[] {64, 1, 1}, fits, r.parameters());
            assertRefused("CUDA_ERROR_INVALID_VALUE",
                    () -> launch(lossGrad, new int[] {1, 1, 1}, new int[] {64, 1, 1}, fits + 1, r.parameters()));
            r.free();
            JCudaDriver.cuModuleUnload(module);
        }
    }

    @Test
    void readingPastABufferIsAnIllegalAddressAndTheContextStaysFailed() {
        try (Context context = new Context()) {
            CUmodule module = context.load(Loss.Kind.MSE);
            Reduction r = Reduction.of(context, 1001, 1000, 1);
            assertRefused("CUDA_ERROR_ILLEGAL_ADDRESS", () -> launch(function(module, "loss_grad"), new int[] {1, 1, 1},
                    new int[] {256, 1, 1}, 0, r.parameters()));
            assertRefused("CUDA_ERROR_ILLEGAL_ADDRESS", () -> context.allocate(4));
            assertRefused("CUDA_ERROR_ILLEGAL_ADDRESS", () -> JCudaDriver.cuMemFree(r.buffers()[0]));
        }
    }

    @Test
    void writingPastABufferIsAnIllegalAddress() {
        try (Context context = new Context()) {
            CUmodule module = context.load(Loss.Kind.MAE);
            Surface s = Surface.of(context, 16, 15);
            assertRefused("CUDA_ERROR_ILLEGAL_ADDRESS", () -> launch(function(module, "surface"),
                    new int[] {1, s.blocksInY(), 1}, new int[] {32, 1, 1}, 0, s.parameters()));
        }
    }

    @Test
    void memoryOrAModuleLeftAtContextDestructionIsALeak() {
        Context leakingMemory = new Context();
        leakingMemory.allocate(100);
        assertRefused("CUDA_ERROR_ILLEGAL_STATE", leakingMemory::destroy);
        Context leakingAModule = new Context();
        leakingAModule.load(Loss.Kind.MSE);
        assertRefused("CUDA_ERROR_ILLEGAL_STATE", leakingAModule::destroy);
        try (Context clean = new Context()) {
            JCudaDriver.cuMemFree(clean.allocate(100));
            JCudaDriver.cuModuleUnload(clean.load(Loss.Kind.MSE));
        }
    }

    @Test
    void aThreadWithoutACurrentContextIsRefused() throws Exception {
        try (Context context = new Context()) {
            CompletableFuture<Void> otherThread = CompletableFuture.runAsync(() -> {
                assertRefused("CUDA_ERROR_INVALID_CONTEXT", () -> context.allocate(4));
                JCudaDriver.cuCtxSetCurrent(context.handle);
                JCudaDriver.cuMemFree(context.allocate(4));
            });
            otherThread.get(30, TimeUnit.SECONDS);
        }
        assertRefused("CUDA_ERROR_INVALID_CONTEXT", () -> JCudaDriver.cuMemGetInfo(new long[1], new long[1]));
    }

    @Test
    void allocationsBeyondTheDeviceMemoryAreOutOfMemory() {
        try (Context context = new Context()) {
            long[] free = new long[1];
            long[] total = new long[1];
            JCudaDriver.cuMemGetInfo(free, total);
            long[] totalMemory = new long[1];
            JCudaDriver.cuDeviceTotalMem(totalMemory, device());
            assertEquals(totalMemory[0], total[0]);
            assertRefused("CUDA_ERROR_OUT_OF_MEMORY", () -> context.allocate(free[0] + 1));
            CUdeviceptr megabyte = context.allocate(1 << 20);
            long[] after = new long[1];
            JCudaDriver.cuMemGetInfo(after, total);
            assertEquals(free[0] - (1 << 20), after[0]);
            JCudaDriver.cuMemFree(megabyte);
            JCudaDriver.cuMemGetInfo(after, total);
            assertEquals(free[0], after[0]);
        }
    }

    @Test
    void imagesADriverCannotLoadAreRefused() {
        String ptx = ptx(Loss.Kind.MSE);
        try (Context context = new Context()) {
            assertRefused("CUDA_ERROR_INVALID_IMAGE", () -> context.load("not PTX at all"));
            assertRefused("CUDA_ERROR_INVALID_IMAGE", () -> context.load("\u007fELF, as NVRTC's CUBIN"));
            assertRefused("CUDA_ERROR_INVALID_PTX", () -> context.load(ptx.replace("\n.target sm_75", "\n.target sm_90")));
            assertRefused("CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
                    () -> context.load(ptx.replace("\n.version 8.0", "\n.version 9.0")));
            assertRefused("CUDA_ERROR_INVALID_IMAGE",
                    () -> context.load(ptx.replace(CudaKernels.LOSS_MARKER, "another_name")));
        }
    }

    @Test
    void eachModuleHoldsItsLossIdInDeviceMemory() {
        try (Context context = new Context()) {
            for (Loss.Kind kind : Loss.Kind.values()) {
                CUmodule module = context.load(kind);
                CUdeviceptr global = new CUdeviceptr();
                long[] bytes = new long[1];
                JCudaDriver.cuModuleGetGlobal(global, bytes, module, CudaKernels.LOSS_MARKER);
                int[] id = new int[1];
                JCudaDriver.cuMemcpyDtoH(Pointer.to(id), global, Integer.BYTES);
                assertEquals(Integer.BYTES, bytes[0]);
                assertEquals(kind.ordinal(), id[0], kind.toString());
                assertRefused("CUDA_ERROR_NOT_FOUND", () -> JCudaDriver.cuModuleGetGlobal(new CUdeviceptr(), bytes,
                        module, "no_such_global"));
                assertRefused("CUDA_ERROR_NOT_FOUND", () -> function(module, "no_such_kernel"));
                JCudaDriver.cuModuleUnload(module);
            }
        }
    }

    /** emulator-selftest (selftest.cpp): the real reduction is right, each deliberately broken copy is wrong. */
    @Test
    void theEmulatorsConcurrencyCatchesBrokenReductions(@TempDir Path temporary) throws IOException {
        Path ptx = temporary.resolve("lossgrid-mse.ptx");
        Files.writeString(ptx, ptx(Loss.Kind.MSE));
        Finished selfTest = Finished.run(new ProcessBuilder(selfTest().toString(), ptx.toString()));
        assertEquals(0, selfTest.exitCode(), selfTest.out() + selfTest.err());
        List<String> expected = List.of("real kernels: ", "missing-first-barrier: ", "missing-second-barrier: ",
                "shuffle-offset-8: ", "n past the buffers: CUDA_ERROR_ILLEGAL_ADDRESS");
        List<String> lines = selfTest.out().lines().toList();
        assertEquals(expected.size(), lines.size(), selfTest.out());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(lines.get(i).startsWith(expected.get(i)), lines.get(i));
        }
        assertTrue(selfTest.err().lines().anyMatch(line -> line.startsWith("lossgrid CUDA emulator: kernel loss_grad, block (")
                && line.contains(": out-of-bounds access to parameter 0 at element ") && line.contains(" of allocation #")),
                "one stderr line names the kernel, index and allocation:\n" + selfTest.err());
    }

    /** A device too small for the data (LOSSGRID_CUDA_EMULATOR_MEMORY, read by cuInit of a child JVM): exit 4 with the estimate. */
    @Test
    void aDeviceTooSmallForTheDataIsAResourcesError() {
        ProcessBuilder cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "org.lossgrid.cli.Main",
                "surface", "--backend", "cuda", "--method", "brute", "--w", "0.5:1.2:37", "--b", "-500:900:41", "--json");
        cli.environment().put("LOSSGRID_CUDA_EMULATOR_MEMORY", "20000");
        cli.environment().put("LOSSGRID_NO_REEXEC", "1");
        Finished surface = Finished.run(cli);
        assertEquals(4, surface.exitCode(), surface.out() + surface.err());
        assertTrue(surface.out().contains("of GPU memory, but ") && surface.out().contains("are free on CUDA device 0"),
                surface.out());
    }

    /** A child process that ran to its end, and what it printed. */
    private record Finished(int exitCode, String out, String err) {
        static Finished run(ProcessBuilder builder) {
            try {
                Process process = builder.start();
                CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                    try {
                        return process.getErrorStream().readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(builder.command() + " did not finish in 60 s");
                }
                return new Finished(process.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** emulator-selftest, next to the libcuda.so.1 that LD_LIBRARY_PATH names. */
    private static Path selfTest() {
        List<String> searched = new ArrayList<>();
        for (String directory : String.valueOf(System.getenv("LD_LIBRARY_PATH")).split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "emulator-selftest");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
            searched.add(directory);
        }
        throw new AssertionError("no emulator-selftest in LD_LIBRARY_PATH " + searched);
    }

    private static String ptx(Loss.Kind kind) {
        try (InputStream in = CudaEmulatorTest.class.getResourceAsStream("/kernels/" + CudaKernels.ptx(kind))) {
            assertNotNull(in, CudaKernels.ptx(kind) + " is missing: the emulator runs the PTX that nvcc builds");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
