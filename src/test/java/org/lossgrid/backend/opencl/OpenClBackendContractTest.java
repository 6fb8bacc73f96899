package org.lossgrid.backend.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.BackendContractTest;
import org.lossgrid.backend.Probe;

/**
 * The contract on OpenCL. Skips with the probe's reason where no OpenCL platform exists, unless
 * {@code LOSSGRID_REQUIRE_OPENCL} is set (as in CI, which installs POCL): then a missing platform fails.
 */
public class OpenClBackendContractTest extends BackendContractTest {
    public static Backend openOrSkip() {
        OpenClProvider provider = new OpenClProvider();
        Probe probe = provider.probe();
        if (System.getenv("LOSSGRID_REQUIRE_OPENCL") != null && !probe.available()) {
            throw new IllegalStateException("LOSSGRID_REQUIRE_OPENCL is set but OpenCL is unavailable: " + probe.reason());
        }
        assumeTrue(probe.available(), () -> "OpenCL unavailable: " + probe.reason());
        return provider.open(0);
    }

    @Override
    protected Backend open() {
        return openOrSkip();
    }

    @Override
    protected String expectedName() {
        return "opencl";
    }
}
