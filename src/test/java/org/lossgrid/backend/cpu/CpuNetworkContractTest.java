package org.lossgrid.backend.cpu;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.NetworkContractTest;

class CpuNetworkContractTest extends NetworkContractTest {
    @Override
    protected Backend open() {
        return new CpuBackend();
    }

    @Override
    protected String expectedName() {
        return "cpu";
    }
}
