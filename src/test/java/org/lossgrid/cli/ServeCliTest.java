package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code lossgrid serve} as a user runs it: --port 0 prints the URL it picked, the page answers, a signal stops it. */
class ServeCliTest {
    @Test
    void servePrintsItsUrlServesThePageAndStopsOnASignal() throws Exception {
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--port", "0", "--backend", "cpu", "--lang", "en");
        command.environment().put("LOSSGRID_NO_REEXEC", "1");
        Path log = java.nio.file.Files.createTempFile("lossgrid-serve", ".log");
        command.redirectError(log.toFile());
        Process process = command.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertNotNull(first, "serve printed nothing");
            Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(first);
            assertTrue(url.find(), first);
            assertTrue(Integer.parseInt(url.group(1)) > 0, first);
            assertTrue(out.readLine().contains("127.0.0.1 only"), "the startup says it listens on this machine only");
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.group()))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "serve stops on SIGTERM");
            String errors = java.nio.file.Files.readString(log);
            assertFalse(errors.contains("Exception"), errors);
        } finally {
            process.destroyForcibly();
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    @Test
    void aBadPortIsAUsageError() {
        assertEquals(2, Cli.run("serve", "--port", "70000").exitCode());
    }
}
