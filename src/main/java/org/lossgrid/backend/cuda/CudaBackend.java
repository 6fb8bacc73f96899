package org.lossgrid.backend.cuda;

import static org.lossgrid.error.LossgridException.param;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.KernelCache;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.util.Bytes;
import org.lossgrid.util.Releases;

/**
 * The CUDA backend on the driver API: a context on one device, and per kind of loss a module loaded
 * from the packaged PTX ({@code cuModuleLoadData}), or, where the driver refuses that PTX, compiled by
 * NVRTC to a CUBIN for this device. Every module is loaded and verified when the backend opens, so a
 * driver that refuses them is an unavailable backend (and {@code auto} moves on), not a failure of the
 * first command. Every operation first makes the context current on its thread, so any thread may use
 * the backend. Device memory is checked against {@code cuMemGetInfo} before every allocation.
 * Everything is released by {@link #close()}, which frees what it can even after a device failure.
 */
public final class CudaBackend implements Backend {
    private final int ordinal;
    private final DeviceInfo info;
    private final CUcontext context = new CUcontext();
    private final KernelCache<Module> modules = new KernelCache<>(Module::unload);
    private final int computeMajor;
    private final int computeMinor;
    private final int maxGridY;

    CudaBackend(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        this.computeMajor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.computeMinor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.maxGridY = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y);
        this.ordinal = ordinal;
        this.info = CudaProvider.info(ordinal);
        JCudaDriver.cuCtxCreate(context, 0, device);
        try {
            for (Loss.Kind kind : Loss.Kind.values()) {
                module(kind);
            }
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public DeviceInfo device() {
        return info;
    }

    @Override
    public DeviceDataset upload(Dataset data) {
        return new CudaDataset(this, data);
    }

    /** Makes this backend's context current on the calling thread; every operation starts with it. */
    void makeCurrent() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    /** The device's largest gridDim.y (65535 on every GPU so far), which bounds rows and parameter sets per launch. */
    int maxGridY() {
        return maxGridY;
    }

    /** A loaded module and the functions looked up in it. */
    private record Module(CUmodule module, Map<String, CUfunction> functions) {
        void unload() {
            JCudaDriver.cuModuleUnload(module);
        }
    }

    /** The kernel {@code name} of the module of this kind of loss. */
    CUfunction function(String name, Loss loss) {
        return module(loss.kind()).functions().get(name);
    }

    /** The module of a kind of loss: loaded, its loss id checked and every entry point looked up, on first use. */
    private Module module(Loss.Kind kind) {
        List<String> defines = new ArrayList<>(List.of("LOSS=" + kind.ordinal()));
        defines.addAll(CudaKernels.CONSTANTS.defines());
        return modules.get(new KernelCache.Key(CudaKernels.SOURCE, defines), key -> {
            CUmodule module = load(kind, key);
            try {
                return verified(module, kind);
            } catch (CudaException | LossgridException e) {
                JCudaDriver.cuModuleUnload(module);
                throw e;
            }
        });
    }

    /** The module with every kernel of {@link CudaKernels#SIGNATURES}, after checking it was built for {@code kind}. */
    private Module verified(CUmodule module, Loss.Kind kind) {
        CUdeviceptr global = new CUdeviceptr();
        long[] size = new long[1];
        JCudaDriver.cuModuleGetGlobal(global, size, module, CudaKernels.LOSS_MARKER);
        int[] id = new int[1];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(id), global, Integer.BYTES);
        if (size[0] != Integer.BYTES || id[0] != kind.ordinal()) {
            throw LossgridException.backendUnavailable("backend cuda: the module for " + kind + " was built for loss id "
                    + id[0] + "; rebuild lossgrid (mvn package)");
        }
        Map<String, CUfunction> functions = new HashMap<>();
        for (String name : CudaKernels.SIGNATURES.keySet()) {
            CUfunction function = new CUfunction();
            JCudaDriver.cuModuleGetFunction(function, module, name);
            functions.put(name, function);
        }
        return new Module(module, functions);
    }

    /** The packaged PTX of the loss (built by nvcc with the same defines), or NVRTC's CUBIN for this device. */
    private CUmodule load(Loss.Kind kind, KernelCache.Key key) {
        byte[] ptx = resource(CudaKernels.ptx(kind));
        String why = "this build has no PTX (nvcc was absent)";
        if (ptx != null) {
            CUmodule module = new CUmodule();
            try {
                JCudaDriver.cuModuleLoadData(module, ptx);
                return module;
            } catch (CudaException e) {
                why = "the driver refused the packaged PTX (" + e.getMessage() + ")";
            }
        }
        byte[] cubin = Nvrtc.compile(key, computeMajor, computeMinor, why);
        CUmodule module = new CUmodule();
        JCudaDriver.cuModuleLoadData(module, cubin);
        return module;
    }

    private static byte[] resource(String path) {
        try (InputStream in = CudaBackend.class.getResourceAsStream("/kernels/" + path)) {
            if (in == null) {
                return null;
            }
            byte[] text = in.readAllBytes();
            byte[] terminated = new byte[text.length + 1];
            System.arraycopy(text, 0, terminated, 0, text.length);
            return terminated;
        } catch (IOException e) {
            return null;
        }
    }

    /** A growable device allocation ({@link GrowableBuffer}) for {@code what}, checked against the free memory. */
    GrowableBuffer<CUdeviceptr> growable(String what) {
        return new GrowableBuffer<>(new GrowableBuffer.Allocator<>() {
            @Override
            public CUdeviceptr allocate(long bytes) {
                return CudaBackend.this.allocate(bytes, what);
            }

            @Override
            public void free(CUdeviceptr pointer) {
                JCudaDriver.cuMemFree(pointer);
            }
        });
    }

    /** cuMemAlloc after checking the request against the free device memory (exit 4 with the estimate). */
    CUdeviceptr allocate(long bytes, String what) {
        long[] free = new long[1];
        long[] total = new long[1];
        JCudaDriver.cuMemGetInfo(free, total);
        if (bytes > free[0]) {
            throw LossgridException.resources("the " + what + " need " + Bytes.format(bytes) + " of GPU memory, but "
                    + Bytes.format(free[0]) + " of " + Bytes.format(total[0]) + " are free on CUDA device " + ordinal
                    + "; use fewer samples, a smaller grid or " + param("max-memory"));
        }
        CUdeviceptr pointer = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(pointer, Math.max(4, bytes));
        return pointer;
    }

    CUdeviceptr upload(float[] values, String what) {
        CUdeviceptr pointer = allocate((long) Float.BYTES * values.length, what);
        if (values.length > 0) {
            JCudaDriver.cuMemcpyHtoD(pointer, Pointer.to(values), (long) Float.BYTES * values.length);
        }
        return pointer;
    }

    /** Bytes of device memory free now. */
    long freeMemory() {
        long[] free = new long[1];
        long[] total = new long[1];
        JCudaDriver.cuMemGetInfo(free, total);
        return free[0];
    }

    /** Unloads every module and destroys the context, each even if an earlier step failed; the first failure is reported. */
    @Override
    public void close() {
        try {
            Releases.all(List.of(this::makeCurrent, modules::close, () -> JCudaDriver.cuCtxDestroy(context)));
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "releasing CUDA device " + ordinal);
        }
    }
}
