package org.lossgrid.backend.cuda;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.NetworkContractTest;

/** The network operations on CUDA: a GPU, or the emulated driver under LOSSGRID_CUDA_EMULATOR=1 (as in CI). */
class CudaNetworkContractTest extends NetworkContractTest {
    @Override
    protected Backend open() {
        return CudaBackendContractTest.openOrSkip();
    }

    @Override
    protected String expectedName() {
        return "cuda";
    }
}
