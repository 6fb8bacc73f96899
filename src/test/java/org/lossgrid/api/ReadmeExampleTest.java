package org.lossgrid.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using lossgrid from Java" example, taken from README.md as it stands, compiled against
 * the library and run: if the API changes under it, this fails, so the README cannot go stale.
 */
class ReadmeExampleTest {
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- java-example:begin -->\\s*```java\\n(.*?)```\\s*<!-- java-example:end -->", Pattern.DOTALL);

    @TempDir
    Path folder;

    @Test
    void theReadmeExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = EXAMPLE.matcher(readme);
        assertTrue(m.find(), "README.md has no java-example block");
        Path source = folder.resolve("Example.java");
        Files.writeString(source, m.group(1));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classes = Path.of(Lossgrid.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("-d", folder.toString(), "-classpath", classes), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source)).call();
        assertTrue(compiled, "the README example does not compile:\n" + diagnostics);

        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("Example").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("exact MAE optimum: w = 0.9422, b = 203.4, L = 482.8"), output);
        assertTrue(output.contains("gradient descent"), output);
        assertTrue(output.contains("Huber (delta"), output);
        assertEquals(4, output.lines().count(), output);
    }
}
