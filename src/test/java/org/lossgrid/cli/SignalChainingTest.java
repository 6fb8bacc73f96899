package org.lossgrid.cli;

import org.lossgrid.backend.cpu.SurfaceLoopsChoice;
import org.lossgrid.report.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class SignalChainingTest {
    @Test
    void onlyCommandsThatMayOpenOpenClRestart() {
        assertFalse(SignalChaining.mayOpenOpenCl(new String[] {"generate", "--out", "x.csv"}));
        assertFalse(SignalChaining.mayOpenOpenCl(new String[] {"surface", "--backend", "cpu"}));
        assertFalse(SignalChaining.mayOpenOpenCl(new String[] {"surface", "--backend=cpu"}));
        assertFalse(SignalChaining.mayOpenOpenCl(new String[] {"train", "--help"}));
        assertFalse(SignalChaining.mayOpenOpenCl(new String[0]));
        assertTrue(SignalChaining.mayOpenOpenCl(new String[] {"surface", "--backend", "opencl"}));
        assertTrue(SignalChaining.mayOpenOpenCl(new String[] {"demo"}));
    }

    /**
     * A plain JVM without the preload restarts itself with it: the child reports libjsig loaded, and runs
     * the surface loops this test JVM (started with the vector module) chose, as the restart adds the module.
     */
    @Test
    void aPlainJavaLaunchEndsUpWithLibjsigPreloaded() throws Exception {
        assumeTrue(Files.isRegularFile(SignalChaining.library()) && Files.isRegularFile(Path.of("/proc/self/maps")),
                "needs Linux and a JDK with libjsig.so");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "devices", "--json"));
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("LOSSGRID_REEXEC");
        builder.environment().remove("LOSSGRID_NO_REEXEC");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        JsonNode devices = Json.MAPPER.readTree(out);
        assertTrue(devices.get("signal_chaining").asBoolean(), out);
        assertEquals(SurfaceLoopsChoice.current().implementation(), devices.get("cpu_loops").get("implementation").asText(),
                out);
    }

    /** Without --add-modules jdk.incubator.vector and without the restart, the scalar loops run and say why. */
    @Test
    void withoutTheVectorModuleTheScalarLoopsRunAndDevicesSaysWhy() throws Exception {
        Cli cli = Cli.runWithoutCudaDriver("devices", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode loops = Json.MAPPER.readTree(cli.out()).get("cpu_loops");
        assertEquals("scalar", loops.get("implementation").asText(), cli.out());
        assertEquals("no_module", loops.get("reason").asText(), cli.out());
    }
}
