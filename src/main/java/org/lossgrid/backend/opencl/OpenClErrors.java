package org.lossgrid.backend.opencl;

import static org.lossgrid.error.LossgridException.param;

import org.jocl.CL;
import org.jocl.CLException;
import org.lossgrid.error.LossgridException;

/** OpenCL status codes as user-facing errors: memory exhaustion is exit 4, any other device failure exit 3. */
final class OpenClErrors {
    private OpenClErrors() {
    }

    static LossgridException translate(CLException e, String during) {
        int status = e.getStatus();
        String name = CL.stringFor_errorCode(status);
        if (status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY || status == CL.CL_INVALID_BUFFER_SIZE) {
            return new LossgridException(LossgridException.Kind.RESOURCES, "the OpenCL device ran out of memory or resources ("
                    + name + ") while " + during + "; use a smaller grid or " + param("max-memory") + ", or " + param("backend") + " cpu", e);
        }
        return new LossgridException(LossgridException.Kind.UNAVAILABLE, "the OpenCL device failed (" + name + ") while "
                + during + "; try " + param("backend") + " cpu", e);
    }
}
