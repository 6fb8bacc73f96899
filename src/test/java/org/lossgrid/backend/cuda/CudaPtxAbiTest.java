package org.lossgrid.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossgrid.loss.Loss;

/**
 * The shipped PTX against the Java launch code, without a GPU: every {@code .entry} and its parameter
 * list (count and types) must be what {@link CudaKernels#SIGNATURES} passes, and the ISA must be the
 * one a CUDA 12 driver loads. Skips where the build had no nvcc, unless {@code LOSSGRID_REQUIRE_PTX}
 * is set, as in CI.
 */
class CudaPtxAbiTest {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)\\s+\\w+");

    /** Every kind of loss, whose PTX the launch code loads. */
    static Stream<Loss.Kind> kinds() {
        return Stream.of(Loss.Kind.values());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void entriesMatchTheLaunchCode(Loss.Kind kind) throws IOException {
        String resource = CudaKernels.ptx(kind);
        String ptx = read(resource);
        if (System.getenv("LOSSGRID_REQUIRE_PTX") != null) {
            assertNotNull(ptx, resource + " is missing: the build did not compile the CUDA kernels");
        }
        assumeTrue(ptx != null, "no PTX in this build (nvcc absent)");
        assertTrue(ptx.contains("\n.version 8.0\n"), "PTX ISA must be 8.0 for CUDA 12 drivers");
        assertTrue(ptx.contains("\n.target sm_75"), "PTX target must be sm_75");
        // a .global without an initializer is zero, as nvcc writes the marker of loss id 0
        String marker = "\n.global .align 4 .u32 " + CudaKernels.LOSS_MARKER;
        assertTrue(ptx.contains(marker + (kind.ordinal() == 0 ? ";\n" : " = " + kind.ordinal() + ";\n")),
                "the module must say it was built for loss id " + kind.ordinal() + " (" + CudaKernels.LOSS_MARKER + ")");
        Map<String, List<CudaKernels.Arg>> entries = entries(ptx);
        assertEquals(CudaKernels.SIGNATURES.keySet(), entries.keySet(), "kernel entry points");
        for (Map.Entry<String, List<CudaKernels.Arg>> entry : entries.entrySet()) {
            assertEquals(CudaKernels.SIGNATURES.get(entry.getKey()), entry.getValue(), "parameters of " + entry.getKey());
        }
    }

    static Map<String, List<CudaKernels.Arg>> entries(String ptx) {
        Map<String, List<CudaKernels.Arg>> entries = new LinkedHashMap<>();
        Matcher entry = ENTRY.matcher(ptx);
        while (entry.find()) {
            List<CudaKernels.Arg> args = new ArrayList<>();
            Matcher param = PARAM.matcher(entry.group(2));
            while (param.find()) {
                args.add(switch (param.group(1)) {
                    case "u64", "b64" -> CudaKernels.Arg.POINTER;
                    case "u32", "s32", "b32" -> CudaKernels.Arg.INT;
                    case "f32" -> CudaKernels.Arg.FLOAT;
                    default -> throw new AssertionError("unexpected PTX parameter type ." + param.group(1));
                });
            }
            entries.put(entry.group(1), args);
        }
        return entries;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = CudaPtxAbiTest.class.getResourceAsStream("/kernels/" + resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
