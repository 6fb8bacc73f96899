package org.lossgrid.backend.cuda;

import static org.lossgrid.error.LossgridException.param;

import jcuda.CudaException;
import org.lossgrid.error.LossgridException;

/** CUDA errors as user-facing errors: out of memory is exit 4, any other device failure exit 3. */
final class CudaErrors {
    private CudaErrors() {
    }

    static LossgridException translate(CudaException e, String during) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("OUT_OF_MEMORY")) {
            return new LossgridException(LossgridException.Kind.RESOURCES, "the GPU ran out of memory while " + during
                    + "; use a smaller grid or " + param("max-memory") + ", or " + param("backend") + " cpu", e);
        }
        return new LossgridException(LossgridException.Kind.UNAVAILABLE, "the CUDA device failed (" + message + ") while "
                + during + "; try " + param("backend") + " opencl or " + param("backend") + " cpu", e);
    }
}
