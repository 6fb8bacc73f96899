package org.lossgrid.backend.opencl;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.NetworkContractTest;

/** The network operations on OpenCL (POCL in CI), against the same reference as every backend. */
class OpenClNetworkContractTest extends NetworkContractTest {
    @Override
    protected Backend open() {
        return OpenClBackendContractTest.openOrSkip();
    }

    @Override
    protected String expectedName() {
        return "opencl";
    }
}
