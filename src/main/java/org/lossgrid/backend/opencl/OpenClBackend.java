package org.lossgrid.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.KernelCache;
import org.lossgrid.backend.KernelConstants;
import org.lossgrid.backend.KernelSource;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;

/**
 * The OpenCL backend: one context and in-order queue on one device. Programs are built once per
 * context for each set of {@code -D} defines (loss, features, and the kernel constants) and kept in a
 * {@link KernelCache}, with their kernels, until {@link #close()}.
 */
public final class OpenClBackend implements Backend {
    static final String SOURCE = "opencl/lossgrid.cl";
    /** The opencl.* constants of kernels/common/constants.properties. */
    static final KernelConstants CONSTANTS = KernelConstants.of("opencl");
    /** Grid rows per work-item in the surface kernel. */
    static final int ROWS_PER_ITEM = CONSTANTS.get("ROWS_PER_ITEM");
    /**
     * Only -cl-mad-enable: -cl-fast-relaxed-math would let the compiler reassociate and delete the
     * compensation terms of the sums (see loss_math.h).
     */
    static final String MATH_OPTIONS = "-cl-mad-enable";

    private final OpenClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final KernelCache<Program> programs = new KernelCache<>(Program::release);
    private final String source;

    /** A built program and the kernels created from it. */
    record Program(cl_program program, Map<String, cl_kernel> kernels) {
        void release() {
            kernels.values().forEach(CL::clReleaseKernel);
            CL.clReleaseProgram(program);
        }
    }

    OpenClBackend(OpenClDevice device) {
        this.device = device;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        this.context = CL.clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
        cl_command_queue created;
        try {
            created = CL.clCreateCommandQueueWithProperties(context, device.id(), null, null);
        } catch (CLException | UnsatisfiedLinkError e) {
            CL.clReleaseContext(context);
            throw e;
        }
        this.queue = created;
        this.source = KernelSource.load(SOURCE);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public DeviceInfo device() {
        return device.info();
    }

    OpenClDevice openClDevice() {
        return device;
    }

    cl_context context() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    @Override
    public DeviceDataset upload(Dataset data) {
        return new OpenClDataset(this, data);
    }

    /** The kernel {@code name} of the program for loss {@code loss} and {@code features} features, built on first use. */
    cl_kernel kernel(String name, int loss, int features) {
        List<String> defines = new ArrayList<>(List.of("LOSS=" + loss, "K=" + Math.max(1, features)));
        defines.addAll(CONSTANTS.defines());
        Program built = program(defines);
        return built.kernels().computeIfAbsent(name, key -> CL.clCreateKernel(built.program(), key, null));
    }

    /** The program built with these defines, built on first use and cached for the context's life. */
    Program program(List<String> defines) {
        return programs.get(new KernelCache.Key(SOURCE, defines), this::build);
    }

    private Program build(KernelCache.Key key) {
        String options = String.join(" ", key.options("-D ")) + " " + MATH_OPTIONS;
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            CL.clBuildProgram(program, 0, null, options, null, null);
            return new Program(program, new HashMap<>());
        } catch (CLException e) {
            String log = buildLog(program);
            CL.clReleaseProgram(program);
            throw new LossgridException(LossgridException.Kind.INTERNAL, "building the OpenCL kernels (" + options
                    + ") failed with " + CL.stringFor_errorCode(e.getStatus()) + "; build log:\n" + log, e);
        }
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() {
        programs.close();
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
