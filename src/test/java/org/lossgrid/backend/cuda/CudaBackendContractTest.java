package org.lossgrid.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.BackendContractTest;
import org.lossgrid.backend.Probe;

/**
 * The contract on CUDA: runs wherever a GPU or the emulated driver exists, skips with the probe's
 * reason elsewhere, unless {@code LOSSGRID_CUDA_EMULATOR=1} is set (as in CI): then a missing CUDA fails.
 */
class CudaBackendContractTest extends BackendContractTest {
    /** The CUDA backend on device 0, or a skip with the probe's reason (a failure under LOSSGRID_CUDA_EMULATOR=1). */
    static Backend openOrSkip() {
        CudaProvider provider = new CudaProvider();
        Probe probe = provider.probe();
        if ("1".equals(System.getenv("LOSSGRID_CUDA_EMULATOR")) && !probe.available()) {
            throw new IllegalStateException("LOSSGRID_CUDA_EMULATOR=1 but CUDA is unavailable: " + probe.reason());
        }
        assumeTrue(probe.available(), () -> "CUDA unavailable: " + probe.reason());
        return provider.open(0);
    }

    @Override
    protected Backend open() {
        return openOrSkip();
    }

    @Override
    protected String expectedName() {
        return "cuda";
    }
}
