package org.lossgrid.backend.opencl;

import java.util.ArrayList;
import java.util.List;

import org.jocl.CL;
import org.jocl.CLException;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.BackendProvider;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.Probe;
import org.lossgrid.error.LossgridException;

/**
 * Finds OpenCL devices through JOCL. Probing never throws: a missing {@code libOpenCL.so} is a
 * {@link LinkageError} from JOCL's first call, no ICD is {@code CL_PLATFORM_NOT_FOUND_KHR}; both become
 * a reason. Devices are listed GPUs first, so device 0 is the best one.
 */
public final class OpenClProvider implements BackendProvider {
    /** Measured on POCL, 2-core AMD EPYC (JMH ReductionBenchmark.lossAndGradient): see README, Backends. */
    static final String CPU_ONLY = "its only devices are CPUs, where the Java CPU backend trains faster "
            + "(a gradient step at N = 1460: 1.1 us vs 95 us on POCL); ask for opencl by name "
            + "for brute-force surfaces, where it is faster";
    static final String NO_LIBRARY = "no OpenCL library (install ocl-icd-opencl-dev and a driver such as pocl-opencl-icd)";

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public Probe probe() {
        try {
            List<OpenClDevice> devices = OpenClDevice.list();
            if (devices.isEmpty()) {
                return Probe.unavailable(name(), "no device: the OpenCL platforms list no GPU or CPU device");
            }
            List<DeviceInfo> infos = new ArrayList<>();
            for (OpenClDevice device : devices) {
                infos.add(device.info());
            }
            Probe probe = Probe.available(name(), infos);
            return devices.get(0).gpu() ? probe : probe.skippedByAuto(CPU_ONLY);
        } catch (LinkageError e) {
            return Probe.unavailable(name(), NO_LIBRARY + "; " + e.getMessage());
        } catch (CLException e) {
            if (e.getStatus() == CL.CL_PLATFORM_NOT_FOUND_KHR) {
                return Probe.unavailable(name(), "no platform: no OpenCL driver is installed "
                        + "(on Debian: apt-get install pocl-opencl-icd)");
            }
            return Probe.unavailable(name(), "OpenCL error " + CL.stringFor_errorCode(e.getStatus()));
        }
    }

    @Override
    public Backend open(int device) {
        try {
            return new OpenClBackend(OpenClDevice.list().get(device));
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "opening the OpenCL device");
        } catch (LinkageError e) {
            throw LossgridException.backendUnavailable("backend opencl is unavailable: " + NO_LIBRARY);
        }
    }
}
