package org.lossgrid.backend.cpu;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.BackendContractTest;

class CpuBackendContractTest extends BackendContractTest {
    @Override
    protected Backend open() {
        return new CpuBackend();
    }

    @Override
    protected String expectedName() {
        return "cpu";
    }
}
