package org.lossgrid.api;

/** The landscape on the CPU backend, which computes in double after the float32 parameters. */
class CpuLandscapeTest extends LandscapeContractTest {
    @Override
    protected String backend() {
        return "cpu";
    }

    @Override
    protected double tolerance() {
        return 1e-6;
    }
}
