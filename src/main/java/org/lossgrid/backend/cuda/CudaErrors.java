package org.lossgrid.backend.cuda;

import jcuda.CudaException;
import org.lossgrid.error.ExitCode;
import org.lossgrid.error.LossgridException;

/** CUDA errors as user-facing errors: out of memory is exit 4, any other device failure exit 3. */
final class CudaErrors {
    private CudaErrors() {
    }

    static LossgridException translate(CudaException e, String during) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("OUT_OF_MEMORY")) {
            return new LossgridException(ExitCode.RESOURCES, "the GPU ran out of memory while " + during
                    + "; use a smaller grid or --max-memory, or --backend cpu", e);
        }
        return new LossgridException(ExitCode.BACKEND_UNAVAILABLE, "the CUDA device failed (" + message + ") while "
                + during + "; try --backend opencl or --backend cpu", e);
    }
}
