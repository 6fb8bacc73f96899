package org.lossgrid.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.BackendContractTest;
import org.lossgrid.backend.Probe;

/** The contract on CUDA: runs wherever a GPU exists, skips with the probe's reason elsewhere. */
class CudaBackendContractTest extends BackendContractTest {
    @Override
    protected Backend open() {
        CudaProvider provider = new CudaProvider();
        Probe probe = provider.probe();
        assumeTrue(probe.available(), () -> "CUDA unavailable: " + probe.reason());
        return provider.open(0);
    }

    @Override
    protected String expectedName() {
        return "cuda";
    }
}
