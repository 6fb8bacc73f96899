package org.lossgrid.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossgrid.TestData;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;

class OpenClBackendTest {
    @BeforeAll
    static void needsOpenCl() {
        OpenClBackendContractTest.openOrSkip().close();
    }

    /** Where OpenCL must run (CI), the test JVM must have libjsig preloaded, or POCL may crash it. */
    @Test
    void theTestJvmChainsSignalsWhereOpenClIsRequired() throws Exception {
        if (System.getenv("LOSSGRID_REQUIRE_OPENCL") != null) {
            assertTrue(Files.readString(Path.of("/proc/self/maps")).contains("libjsig"),
                    "LD_PRELOAD of libjsig.so is missing from surefire's environment");
        }
    }

    /**
     * Opens, computes and releases the whole OpenCL path many times in one JVM while the garbage
     * collector runs: where POCL has replaced the JVM's signal handlers, this is what crashed it.
     */
    @Test
    void repeatedUseUnderGarbageCollectionPressure() {
        Dataset data = TestData.random(21, 2000, 2);
        GridSpec grid = new GridSpec(new Axis(0.2, 0.7, 40), new Axis(-500, 500, 30));
        Slice slice = Slice.wb(new Params(0, new double[] {0, 0.45}));
        List<byte[]> garbage = new ArrayList<>();
        double first = Double.NaN;
        for (int round = 0; round < 25; round++) {
            try (Backend backend = OpenClBackendContractTest.openOrSkip(); DeviceDataset device = backend.upload(data);
                 SurfaceTiles tiles = device.surface(Loss.MAE, slice.plane(data, grid))) {
                float[] values = new float[grid.rows() * grid.columns()];
                tiles.computeRows(0, grid.rows(), values);
                LossGradient lg = device.lossAndGradient(Loss.MSE, new Params(100, new double[] {0.4, 0.5}));
                if (round == 0) {
                    first = lg.loss() + values[17];
                }
                assertEquals(first, lg.loss() + values[17], 0);
            }
            for (int i = 0; i < 200; i++) {
                garbage.add(new byte[64 * 1024]);
            }
            garbage.clear();
            System.gc();
        }
    }

    @Test
    void aBuildFailureCarriesTheBuildLog() {
        try (Backend backend = OpenClBackendContractTest.openOrSkip()) {
            LossgridException e = assertThrows(LossgridException.class, () -> ((OpenClBackend) backend).program(java.util.List.of("K=1")));
            assertTrue(e.getMessage().contains("build log"), e.getMessage());
            assertTrue(e.getMessage().contains("build with -D LOSS=<id>"), e.getMessage());
        }
    }

    @Test
    void anAllocationBeyondTheDeviceLimitIsAResourceError() {
        try (Backend backend = OpenClBackendContractTest.openOrSkip()) {
            OpenClBackend opencl = (OpenClBackend) backend;
            long limit = opencl.openClDevice().maxAllocation();
            int floats = (int) Math.min(Integer.MAX_VALUE - 8, limit / 4 + 1024);
            if (4L * floats > limit) {
                LossgridException e = assertThrows(LossgridException.class,
                        () -> OpenClBuffer.output(opencl, floats, "test buffer"));
                assertEquals(org.lossgrid.error.LossgridException.Kind.RESOURCES, e.kind());
                assertTrue(e.getMessage().contains("above its largest allocation"), e.getMessage());
            }
        }
    }
}
