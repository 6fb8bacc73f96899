package org.lossgrid.backend.cuda;

import java.util.ArrayList;
import java.util.List;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.BackendProvider;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.Probe;
import org.lossgrid.error.LossgridException;
import org.lossgrid.util.Bytes;

/**
 * Finds CUDA devices through JCuda's driver API. Probing never throws: without {@code libcuda.so.1}
 * JCuda's first call is an {@link UnsatisfiedLinkError} (then {@link NoClassDefFoundError}), both
 * {@link LinkageError}s; {@code CUDA_ERROR_NO_DEVICE} and friends are {@link CudaException}s. No JCuda
 * class is touched before {@link #probe()} runs. The probe opens device 0 as a command would, loading
 * and verifying every module, so a driver that refuses the kernels makes CUDA unavailable with the
 * driver's reason. The test tree's emulated driver (src/test/cuda-emulator) is available when asked for
 * by name but never chosen by {@code auto}: it is not a GPU.
 */
public final class CudaProvider implements BackendProvider {
    static final String NO_DRIVER = "no NVIDIA driver (libcuda.so.1 not found)";
    /** How the emulated driver of the test tree names its device. */
    static final String EMULATOR = "lossgrid CUDA emulator";
    static final String EMULATED = "an emulated CUDA driver: a test harness for the host code and kernels, not a GPU";

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Probe probe() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return Probe.unavailable(name(), "no device: the NVIDIA driver reports no CUDA device");
            }
            List<DeviceInfo> devices = new ArrayList<>();
            for (int d = 0; d < count[0]; d++) {
                devices.add(info(d));
            }
            new CudaBackend(0).close();
            return devices.get(0).name().startsWith(EMULATOR) ? Probe.emulated(name(), devices, EMULATED)
                    : Probe.available(name(), devices);
        } catch (LinkageError e) {
            return Probe.unavailable(name(), NO_DRIVER);
        } catch (CudaException e) {
            return Probe.unavailable(name(), "CUDA error: " + e.getMessage());
        } catch (LossgridException e) {
            return Probe.unavailable(name(), e.getMessage());
        }
    }

    static DeviceInfo info(int ordinal) {
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int[] major = new int[1];
        int[] minor = new int[1];
        int[] sms = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        JCudaDriver.cuDeviceGetAttribute(minor, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        JCudaDriver.cuDeviceGetAttribute(sms, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, device);
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new DeviceInfo(new String(name, 0, end, java.nio.charset.StandardCharsets.UTF_8), sms[0], memory[0],
                "compute capability " + major[0] + "." + minor[0] + ", " + sms[0] + " SMs, " + Bytes.format(memory[0]));
    }

    @Override
    public Backend open(int device) {
        try {
            return new CudaBackend(device);
        } catch (LinkageError e) {
            throw LossgridException.backendUnavailable("backend cuda is unavailable: " + NO_DRIVER);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "opening CUDA device " + device);
        }
    }
}
