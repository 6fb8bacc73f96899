package org.lossgrid.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.backend.Backends;
import org.lossgrid.backend.Probe;
import org.lossgrid.backend.cpu.CpuModel;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.Split;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.i18n.Text;
import org.lossgrid.loss.Loss;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.report.Json;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.Surface;
import org.lossgrid.surface.SurfaceMethod;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false)
final class BenchCommand implements Callable<Integer> {
    /** Peers agree with lossgrid's surface to this relative difference before they are timed. */
    static final double AGREEMENT = 1e-4;
    /**
     * Untimed runs before each measurement, at least this many and for at least WARMUP_SECONDS, so that
     * the JIT has compiled the loops being timed (a few runs of a millisecond are over before it has).
     */
    static final int WARMUP = 3;
    static final double WARMUP_SECONDS = 1;

    @Option(names = "--grid", paramLabel = "N", defaultValue = "1024")
    int points;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "10")
    int repeat;

    @Option(names = "--benchmarks", paramLabel = "DIR", defaultValue = "benchmarks")
    Path folder;

    @Option(names = "--out", paramLabel = "FILE", converter = OutputFile.class)
    Path out;

    @Option(names = "--json")
    boolean json;

    @Mixin
    LanguageOption language;

    private final Console console;

    BenchCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (points < 2 || repeat < 1) {
            throw LossgridException.badInput("--grid must be at least 2 and --repeat at least 1");
        }
        Path target = out != null ? out : folder.resolve("results").resolve(LocalDate.now() + "-" + host() + ".json");
        if (target.getParent() != null) {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        AtomicOutput.checkWritable(target);
        Split split = Data.sample(1);
        Dataset data = split.train();
        Axis w = new Axis(0.5, 1.5, points);
        Axis b = new Axis(-1000, 1500, points);
        Path work = Files.createTempDirectory("lossgrid-bench");
        try {
            Path dataFile = writeData(data, work.resolve("data.bin"));
            ObjectNode results = Json.object();
            results.set("machine", machine());
            ObjectNode setup = results.putObject("setup");
            setup.put("data", data.name());
            setup.put("samples", data.n());
            setup.put("grid", points + "x" + points);
            setup.put("repeat", repeat);
            setup.put("measure", "fastest of the repeats after at least " + WARMUP + " warm-up runs and " + WARMUP_SECONDS
                    + " s of them, computation only (no file output)");
            ArrayNode rows = results.putArray("results");
            Path nativeBinary = compileNative(work);
            List<Loss> losses = List.of(Loss.MAE, Loss.MSE, new Loss.Huber(ExactOptimum.huberDelta(data, true)));
            for (Loss loss : losses) {
                float[] reference = null;
                for (Probe probe : Backends.standard().probeAll()) {
                    if (!probe.available() || probe.emulated()) {
                        console.log("bench: skipping " + probe.backend() + ": "
                                + (probe.emulated() ? probe.autoSkip() : probe.reason()));
                        continue;
                    }
                    try (Lossgrid lg = Lossgrid.open(probe.backend(), null, split, console::log)) {
                        SurfaceRequest.Builder request = SurfaceRequest.of(loss).grid(w, b);
                        Surface surface = time(lg, request.method(SurfaceMethod.BRUTE).build(), rows, lg.backendName() + " brute");
                        if (lg.backendName().equals("cpu")) {
                            reference = surface.values();
                        }
                        if (lg.backendName().equals("cpu") && loss.hasExactFast()) {
                            time(lg, request.method(SurfaceMethod.EXACT_FAST).build(), rows, "cpu exact-fast");
                        }
                    }
                }
                if (loss.kind() == Loss.Kind.HUBER) {
                    continue; // the native C and the peers implement mae and mse only
                }
                String[] args = {dataFile.toString(), loss.name(), "0.5", "1.5", Integer.toString(points), "-1000", "1500",
                    Integer.toString(points)};
                if (nativeBinary != null) {
                    peer(rows, "native C (gcc -O3 -march=native -fopenmp)", loss, reference, work, List.of(nativeBinary.toString()),
                            args, repeat, ".bin");
                }
                String numpy = python("numpy");
                if (numpy == null) {
                    console.log("bench: skipping numpy: no python3 with numpy");
                } else {
                    peer(rows, "numpy float32", loss, reference, work,
                            List.of(numpy, folder.resolve("peers/numpy_surface.py").toString()), args, Math.min(repeat, 3), ".npy");
                }
                String torch = python("torch");
                if (torch == null) {
                    console.log("bench: skipping PyTorch: no python3 with torch (Debian: apt-get install python3-torch)");
                } else {
                    peer(rows, "PyTorch CPU float32", loss, reference, work,
                            List.of(torch, folder.resolve("peers/torch_surface.py").toString()), args, Math.min(repeat, 3), ".npy");
                }
            }
            Json.write(target, results);
            if (json) {
                console.json(results);
            } else {
                Text words = Text.of(language.language());
                console.out().print(table(words, results));
                console.wrote(words, target);
            }
            return 0;
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Surface time(Lossgrid lg, SurfaceRequest request, ArrayNode rows, String name) {
        Surface best = null;
        long warmUntil = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        for (int run = 0; run < WARMUP || System.nanoTime() < warmUntil; run++) {
            lg.surface(request);
        }
        for (int run = 0; run < repeat; run++) {
            Surface surface = lg.surface(request);
            if (best == null || surface.result().computeSeconds() < best.result().computeSeconds()) {
                best = surface;
            }
        }
        ObjectNode row = rows.addObject();
        row.put("implementation", name);
        row.put("device", lg.device().name());
        row.put("loss", request.loss().name());
        request.loss().parameters().forEach(row::put);
        row.put("seconds", best.result().computeSeconds());
        row.put("evals_per_second", best.result().evalsPerSecond());
        console.log(String.format(Locale.ROOT, "bench: %-28s %s %.3g evals/s", name, request.loss().name(),
                best.result().evalsPerSecond()));
        return best;
    }

    /** Runs a peer program, checks its surface against lossgrid's, and records its timing. */
    private void peer(ArrayNode rows, String name, Loss loss, float[] reference, Path work, List<String> command, String[] args,
            int repeats, String suffix) throws IOException, InterruptedException {
        Path surface = work.resolve("peer" + suffix);
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        full.add(Integer.toString(repeats));
        full.add(surface.toString());
        Process process = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            console.log("bench: skipping " + name + ": it failed (exit " + process.exitValue() + ")");
            return;
        }
        float[] values = readFloats(surface, suffix.equals(".npy"));
        double worst = 0;
        for (int i = 0; i < reference.length; i++) {
            worst = Math.max(worst, Math.abs(values[i] - reference[i]) / Math.abs(reference[i]));
        }
        if (worst > AGREEMENT) {
            console.log(String.format(Locale.ROOT, "bench: %s disagrees with lossgrid (max relative difference %.2g); not timed",
                    name, worst));
            return;
        }
        JsonNode timing = Json.MAPPER.readTree(output);
        ObjectNode row = rows.addObject();
        row.put("implementation", name);
        row.put("device", CpuModel.name());
        row.put("loss", loss.name());
        row.put("seconds", timing.get("seconds").asDouble());
        row.put("evals_per_second", timing.get("evals_per_second").asDouble());
        row.put("threads", timing.get("threads").asInt());
        row.put("max_relative_difference", worst);
        console.log(String.format(Locale.ROOT, "bench: %-28s %s %.3g evals/s (agrees to %.1g)", name, loss.name(),
                timing.get("evals_per_second").asDouble(), worst));
    }

    private static float[] readFloats(Path file, boolean npy) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int offset = 0;
        if (npy) {
            int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            offset = 10 + headerLength;
        }
        float[] values = new float[(bytes.length - offset) / 4];
        ByteBuffer.wrap(bytes, offset, bytes.length - offset).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** int32 n, float32 y[n], float32 x[n], little-endian: what the native and python peers read. */
    private static Path writeData(Dataset data, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 8 * data.n()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(data.n());
        for (float v : data.yFloat()) {
            buffer.putFloat(v);
        }
        for (float v : data.xFloat(0)) {
            buffer.putFloat(v);
        }
        try (OutputStream stream = Files.newOutputStream(file)) {
            stream.write(buffer.array());
        }
        return file;
    }

    private Path compileNative(Path work) throws IOException, InterruptedException {
        Path source = folder.resolve("native/surface.c");
        if (!Files.isRegularFile(source)) {
            console.log("bench: skipping the native limit: " + source + " not found (run from the repository root)");
            return null;
        }
        Path binary = work.resolve("surface");
        try {
            Process gcc = new ProcessBuilder("gcc", "-O3", "-march=native", "-fopenmp", "-o", binary.toString(),
                    source.toString(), "-lm").redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (gcc.waitFor() != 0) {
                console.log("bench: skipping the native limit: gcc failed:\n" + log);
                return null;
            }
            return binary;
        } catch (IOException e) {
            console.log("bench: skipping the native limit: gcc is not installed");
            return null;
        }
    }

    /** An interpreter that can import {@code module}: python3 on the PATH, then Debian's /usr/bin/python3. */
    private static String python(String module) throws InterruptedException {
        for (String candidate : new String[] {"python3", "/usr/bin/python3"}) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import numpy, " + module)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // try the next interpreter
            }
        }
        return null;
    }

    private static ObjectNode machine() {
        ObjectNode machine = Json.object();
        machine.put("cpu", CpuModel.name());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("host", host());
        ArrayNode devices = machine.putArray("devices");
        for (Probe probe : Backends.standard().probeAll()) {
            ObjectNode d = devices.addObject();
            d.put("backend", probe.backend());
            d.put("available", probe.available());
            d.put("emulated", probe.emulated());
            if (probe.available()) {
                d.put("device", probe.devices().get(0).name());
                d.put("details", probe.devices().get(0).details());
            } else {
                d.put("reason", probe.reason());
            }
        }
        return machine;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "_");
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** evals/s per implementation and loss, with ratios to the native limit, numpy, PyTorch and the Java CPU backend. */
    static String table(Text words, JsonNode results) {
        StringBuilder text = new StringBuilder();
        JsonNode machine = results.get("machine");
        text.append(words.get("bench.machine", machine.get("cpu").asText(), machine.get("cores").asInt(),
                machine.get("jdk").asText(), results.get("setup").get("grid").asText(),
                results.get("setup").get("samples").asInt())).append('\n');
        String[] columns = words.get("bench.columns").split("\\|");
        text.append(Text.pad(columns[0], -44)).append(' ').append(Text.pad(columns[1], -4));
        for (int c = 2; c < columns.length; c++) {
            text.append(' ').append(Text.pad(columns[c], c == 2 ? 10 : 9));
        }
        text.append('\n');
        for (JsonNode row : results.get("results")) {
            String loss = row.get("loss").asText();
            double evals = row.get("evals_per_second").asDouble();
            text.append(String.format(Locale.ROOT, "%-44s %-4s %10.3g %9s %9s %9s %9s%n", row.get("implementation").asText(),
                    loss, evals, ratio(results, evals, loss, "native"), ratio(results, evals, loss, "numpy"),
                    ratio(results, evals, loss, "PyTorch"), ratio(results, evals, loss, "cpu brute")));
        }
        return text.toString();
    }

    private static String ratio(JsonNode results, double evals, String loss, String prefix) {
        for (JsonNode row : results.get("results")) {
            if (row.get("loss").asText().equals(loss) && row.get("implementation").asText().startsWith(prefix)) {
                return String.format(Locale.ROOT, "%.2fx", evals / row.get("evals_per_second").asDouble());
            }
        }
        return "-";
    }
}
