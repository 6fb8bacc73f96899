package org.lossgrid.api;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.lossgrid.backend.Probe;
import org.lossgrid.backend.cuda.CudaProvider;

/**
 * The landscape on CUDA, in float32 within the precision contract: wherever a GPU or the emulated driver
 * exists; skipped with the probe's reason elsewhere, a failure where LOSSGRID_CUDA_EMULATOR=1 says it must run.
 */
class CudaLandscapeTest extends LandscapeContractTest {
    @BeforeAll
    static void cuda() {
        Probe probe = new CudaProvider().probe();
        if ("1".equals(System.getenv("LOSSGRID_CUDA_EMULATOR")) && !probe.available()) {
            throw new IllegalStateException("LOSSGRID_CUDA_EMULATOR=1 but CUDA is unavailable: " + probe.reason());
        }
        assumeTrue(probe.available(), () -> "CUDA unavailable: " + probe.reason());
    }

    @Override
    protected String backend() {
        return "cuda";
    }

    @Override
    protected double tolerance() {
        return 1e-5;
    }
}
