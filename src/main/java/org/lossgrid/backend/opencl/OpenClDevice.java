package org.lossgrid.backend.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.lossgrid.backend.DeviceInfo;

/** One OpenCL device and the facts lossgrid needs about it. */
record OpenClDevice(cl_platform_id platform, cl_device_id id, String platformName, String name, boolean gpu,
        int computeUnits, long globalMemory, long maxAllocation, long maxWorkGroup, String version) {

    /** Every device of every platform, GPUs first. */
    static List<OpenClDevice> list() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        CL.clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        List<OpenClDevice> devices = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            int[] n = new int[1];
            try {
                CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (org.jocl.CLException e) {
                continue;
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            String platformName = platformString(platform);
            for (cl_device_id id : ids) {
                devices.add(new OpenClDevice(platform, id, platformName, string(id, CL_DEVICE_NAME),
                        (number(id, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) != 0, (int) number(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                        number(id, CL_DEVICE_GLOBAL_MEM_SIZE), number(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                        number(id, CL_DEVICE_MAX_WORK_GROUP_SIZE), string(id, CL_DEVICE_VERSION)));
            }
        }
        devices.sort(Comparator.comparing((OpenClDevice d) -> !d.gpu()));
        return devices;
    }

    DeviceInfo info() {
        return new DeviceInfo(name, computeUnits, globalMemory, (gpu ? "GPU" : "CPU") + ", " + platformName + ", "
                + version + ", max allocation " + org.lossgrid.util.Bytes.format(maxAllocation));
    }

    private static String platformString(cl_platform_id platform) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(platform, CL_PLATFORM_NAME, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetPlatformInfo(platform, CL_PLATFORM_NAME, buffer.length, Pointer.to(buffer), null);
        return trim(buffer);
    }

    private static String string(cl_device_id id, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(id, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(id, param, buffer.length, Pointer.to(buffer), null);
        return trim(buffer);
    }

    /** A numeric device property (cl_uint, cl_ulong, size_t or bitfield), widened to long. */
    private static long number(cl_device_id id, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(id, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(id, param, buffer.length, Pointer.to(buffer), null);
        ByteBuffer bytes = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
        return buffer.length >= 8 ? bytes.getLong() : bytes.getInt() & 0xffffffffL;
    }

    private static String trim(byte[] buffer) {
        int end = buffer.length;
        while (end > 0 && buffer[end - 1] == 0) {
            end--;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8).trim();
    }
}
