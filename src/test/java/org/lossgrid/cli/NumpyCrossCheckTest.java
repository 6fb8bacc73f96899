package org.lossgrid.cli;

import org.lossgrid.report.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CLI's NPY surfaces agree with float64 numpy on random data at odd sizes
 * ({@code src/test/python/check_surface.py}). Skips where python3 with numpy is missing, unless
 * {@code LOSSGRID_REQUIRE_NUMPY} is set, as it is in CI; {@code LOSSGRID_PYTHON} names another interpreter.
 */
class NumpyCrossCheckTest {
    private static final Path SCRIPT = Path.of("src/test/python/check_surface.py");
    private static final String PYTHON = System.getenv().getOrDefault("LOSSGRID_PYTHON", "python3");

    @TempDir
    Path folder;

    @BeforeAll
    static void needsNumpy() throws Exception {
        boolean present;
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
            present = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (System.getenv("LOSSGRID_REQUIRE_NUMPY") != null && !present) {
            throw new IllegalStateException("LOSSGRID_REQUIRE_NUMPY is set but python3 cannot import numpy");
        }
        assumeTrue(present, "python3 with numpy is not installed");
    }

    @ParameterizedTest(name = "n={0} {1} {2} {3}")
    @CsvSource({"1,mae,cpu,brute", "1,mse,cpu,brute", "7,mae,cpu,brute", "7,mse,cpu,brute", "1000,mae,cpu,brute",
        "1461,mse,cpu,brute", "100003,mae,cpu,brute", "100003,mse,cpu,brute",
        "1,mae,cpu,exact-fast", "1,mse,cpu,exact-fast", "7,mae,cpu,exact-fast", "1461,mae,cpu,exact-fast",
        "1461,mse,cpu,exact-fast", "100003,mae,cpu,exact-fast", "100003,mse,cpu,exact-fast",
        "1,mae,opencl,brute", "7,mse,opencl,brute", "1000,mae,opencl,brute", "1461,mse,opencl,brute",
        "100003,mae,opencl,brute", "100003,mse,opencl,brute"})
    void surfaceMatchesNumpy(int n, String loss, String backend, String method) throws Exception {
        if (backend.equals("opencl")) {
            org.lossgrid.backend.opencl.OpenClBackendContractTest.openOrSkip().close();
        }
        Random random = new Random(n);
        StringBuilder csv = new StringBuilder("y,x\n");
        for (int i = 0; i < n; i++) {
            double x = Math.rint(500 + 8000 * random.nextDouble());
            csv.append(Math.rint(120 + 0.93 * x + 600 * random.nextGaussian())).append(',').append(x).append('\n');
        }
        Path data = folder.resolve("data.csv");
        Files.writeString(data, csv);
        Path npy = folder.resolve("s.npy");
        String w = "0.55:1.35:37";
        String b = "-2000:2500:23";
        Cli cli = Cli.run("surface", "--data", data.toString(), "--y", "y", "--x", "x", "--loss", loss,
                "--w", w, "--b", b, "--npy", npy.toString(), "--backend", backend, "--method", method, "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(method, Json.MAPPER.readTree(cli.out()).get("method").asText());
        Process check = new ProcessBuilder(PYTHON, SCRIPT.toString(), data.toString(), npy.toString(), loss, w, b)
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, check.exitValue(), output);
    }
}
