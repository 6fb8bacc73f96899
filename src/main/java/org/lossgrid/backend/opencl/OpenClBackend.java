package org.lossgrid.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
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
import org.lossgrid.backend.KernelSource;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;

/**
 * The OpenCL backend: one context and in-order queue on one device. Programs are built once per
 * context for each set of {@code -D} options (loss, features) and cached, with their kernels, until
 * {@link #close()}.
 */
public final class OpenClBackend implements Backend {
    static final String SOURCE = "opencl/lossgrid.cl";
    /** Grid rows per work-item in the surface kernel. */
    static final int ROWS_PER_ITEM = 32;
    /** Samples summed in float before the compensated total. */
    static final int CHUNK = 256;
    /**
     * Only -cl-mad-enable: -cl-fast-relaxed-math would let the compiler reassociate and delete the
     * compensation terms of the sums (see loss_math.h).
     */
    static final String MATH_OPTIONS = "-cl-mad-enable";

    private final OpenClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final String source;

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

    /** The kernel {@code name} of the program built with {@code -D LOSS=loss -D K=features}, built on first use. */
    cl_kernel kernel(String name, int loss, int features) {
        String options = String.format(Locale.ROOT, "-D LOSS=%d -D K=%d -D ROWS_PER_ITEM=%d -D CHUNK=%d %s", loss,
                Math.max(1, features), ROWS_PER_ITEM, CHUNK, MATH_OPTIONS);
        return kernels.computeIfAbsent(name + " " + options, key -> CL.clCreateKernel(program(options), name, null));
    }

    /** The program built with these options, built on first use and cached for the context's life. */
    cl_program program(String options) {
        return programs.computeIfAbsent(options, this::build);
    }

    private cl_program build(String options) {
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            CL.clBuildProgram(program, 0, null, options, null, null);
            return program;
        } catch (CLException e) {
            String log = buildLog(program);
            CL.clReleaseProgram(program);
            throw new LossgridException(LossgridException.Kind.INTERNAL, "building the OpenCL kernels (" + options + ") failed with "
                    + CL.stringFor_errorCode(e.getStatus()) + "; build log:\n" + log, e);
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
        kernels.values().forEach(CL::clReleaseKernel);
        kernels.clear();
        programs.values().forEach(CL::clReleaseProgram);
        programs.clear();
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
