package org.lossgrid.api;

import org.junit.jupiter.api.BeforeAll;
import org.lossgrid.backend.opencl.OpenClBackendContractTest;

/** The landscape on OpenCL (POCL in CI), in float32 within the precision contract; skipped without a platform. */
class OpenClLandscapeTest extends LandscapeContractTest {
    @BeforeAll
    static void openCl() {
        OpenClBackendContractTest.openOrSkip().close();
    }

    @Override
    protected String backend() {
        return "opencl";
    }

    @Override
    protected double tolerance() {
        return 1e-5;
    }
}
