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
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.KernelCache;
import org.lossgrid.backend.KernelSource;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.util.Bytes;

/**
 * The CUDA backend on the driver API: a context on one device, and per loss a module loaded from the
 * packaged PTX ({@code cuModuleLoadData}). Where the driver refuses that PTX and NVRTC is present, the
 * module is compiled from the packaged source instead. Device memory is checked against
 * {@code cuMemGetInfo} before every allocation. Everything is released by {@link #close()}.
 */
public final class CudaBackend implements Backend {
    private final int ordinal;
    private final DeviceInfo info;
    private final CUcontext context = new CUcontext();
    private final KernelCache<Module> modules = new KernelCache<>(Module::unload);
    private final int computeMajor;
    private final int computeMinor;

    CudaBackend(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        int[] major = new int[1];
        int[] minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        JCudaDriver.cuDeviceGetAttribute(minor, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        this.computeMajor = major[0];
        this.computeMinor = minor[0];
        this.ordinal = ordinal;
        this.info = CudaProvider.info(ordinal);
        JCudaDriver.cuCtxCreate(context, 0, device);
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

    /** A loaded module and the functions looked up in it. */
    private record Module(CUmodule module, Map<String, CUfunction> functions) {
        void unload() {
            JCudaDriver.cuModuleUnload(module);
        }
    }

    /** The kernel {@code name} of the module of this kind of loss, loading the module on first use. */
    CUfunction function(String name, Loss loss) {
        List<String> defines = new ArrayList<>(List.of("LOSS=" + loss.kernelId()));
        defines.addAll(CudaKernels.CONSTANTS.defines());
        Module module = modules.get(new KernelCache.Key(CudaKernels.SOURCE, defines), key -> load(loss, key));
        return module.functions().computeIfAbsent(name, key -> {
            CUfunction function = new CUfunction();
            JCudaDriver.cuModuleGetFunction(function, module.module(), key);
            return function;
        });
    }

    /** The packaged PTX of the loss (built by nvcc with the same defines), or NVRTC's compilation of the source. */
    private Module load(Loss loss, KernelCache.Key key) {
        CUmodule module = new CUmodule();
        byte[] ptx = resource(CudaKernels.ptx(loss));
        if (ptx != null) {
            try {
                JCudaDriver.cuModuleLoadData(module, ptx);
                return new Module(module, new HashMap<>());
            } catch (CudaException e) {
                return loadFromSource(key, "the packaged PTX did not load (" + e.getMessage() + ")");
            }
        }
        return loadFromSource(key, "this build has no PTX (nvcc was absent)");
    }

    /** NVRTC: compile the packaged source with the key's defines for this device, then load it; the log goes into the error. */
    private Module loadFromSource(KernelCache.Key key, String why) {
        String ptx;
        try {
            JNvrtc.setExceptionsEnabled(false);
            nvrtcProgram program = new nvrtcProgram();
            JNvrtc.nvrtcCreateProgram(program, KernelSource.load(key.source()), "lossgrid.cu", 0, null, null);
            List<String> options = new ArrayList<>(key.options("-D"));
            options.add("--gpu-architecture=compute_" + computeMajor + computeMinor);
            int status = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(String[]::new));
            String[] log = new String[1];
            JNvrtc.nvrtcGetProgramLog(program, log);
            if (status != 0) {
                JNvrtc.nvrtcDestroyProgram(program);
                throw LossgridException.backendUnavailable("backend cuda: " + why + ", and NVRTC failed to compile "
                        + key.source() + ":\n" + log[0]);
            }
            String[] out = new String[1];
            JNvrtc.nvrtcGetPTX(program, out);
            JNvrtc.nvrtcDestroyProgram(program);
            ptx = out[0];
        } catch (LinkageError e) {
            throw LossgridException.backendUnavailable("backend cuda: " + why + ", and NVRTC is not installed "
                    + "(libnvrtc.so.12); install the CUDA 12 runtime compiler or use " + param("backend") + " opencl");
        }
        CUmodule module = new CUmodule();
        JCudaDriver.cuModuleLoadData(module, ptx);
        return new Module(module, new HashMap<>());
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

    @Override
    public void close() {
        modules.close();
        JCudaDriver.cuCtxDestroy(context);
    }
}
