package org.lossgrid.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * POCL's LLVM replaces the JVM's SIGSEGV/SIGBUS handlers as soon as an OpenCL context exists, and the
 * JVM, which relies on those signals, then dies (exit 139, no hs_err file; DESIGN.md section 8).
 * Preloading the JDK's signal-chaining library {@code libjsig.so} prevents it. The {@code ./lossgrid}
 * wrapper and the test JVM preload it; a plain {@code java -jar lossgrid.jar} re-executes itself
 * once with the preload when a command may open OpenCL, and adds the vector module on the way.
 * {@code LOSSGRID_NO_REEXEC=1} turns this off. {@code --backend cpu} does not restart, so a plain
 * {@code java -jar} with it runs the scalar surface loops (see SurfaceLoopsChoice): a restart costs about
 * 0.25 s on the 2-core AMD EPYC, which the vector loops (about 1.5e-11 s less per evaluation) win back only
 * on surfaces of 1.7e10 evaluations, 3500 x 3500 points at N = 1460.
 */
public final class SignalChaining {
    private static final Set<String> COMPUTING = Set.of("demo", "surface", "train", "devices", "bench", "curve",
            "lr-presets", "serve", "models", "landscape");
    private static final String MARKER = "LOSSGRID_REEXEC";
    /**
     * The collector for lossgrid's short batch runs unless the user chose one: on two cores G1's
     * concurrent threads cost the demo about 0.6 s of its 4 (measured on the 2-core AMD EPYC).
     */
    static final String THROUGHPUT_GC = "-XX:+UseParallelGC";
    /** Added to the restarted JVM where the runtime has it: the CPU backend's vector surface loops need it. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private SignalChaining() {
    }

    /** True when this JVM should re-execute itself with libjsig preloaded before running {@code args}. */
    static boolean needed(String[] args) {
        return mayOpenOpenCl(args) && possible();
    }

    /** Whether the command line may open OpenCL: a computing command, not help, not {@code --backend cpu}. */
    static boolean mayOpenOpenCl(String[] args) {
        if (args.length == 0 || !COMPUTING.contains(args[0])) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")
                    || args[i].equals("--backend") && i + 1 < args.length && args[i + 1].equals("cpu")
                    || args[i].equals("--backend=cpu")) {
                return false;
            }
        }
        return true;
    }

    /** Whether a restart with libjsig is possible and not yet done (and not turned off). */
    public static boolean possible() {
        return System.getenv(MARKER) == null && System.getenv("LOSSGRID_NO_REEXEC") == null
                && Files.isRegularFile(library()) && Files.isRegularFile(Path.of("/proc/self/maps")) && !loaded();
    }

    public static Path library() {
        return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }

    /** Whether libjsig is mapped into this process. */
    public static boolean loaded() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libjsig");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * With {@code LOSSGRID_CUDA_EMULATOR=1}, the folder of the test tree's emulated CUDA driver beside the
     * jar ({@code target/cuda-emulator}, built by {@code mvn verify} or src/test/cuda-emulator/build.sh),
     * which the restarted JVM finds through its library path.
     */
    static Optional<Path> emulatedCuda() {
        if (!"1".equals(System.getenv("LOSSGRID_CUDA_EMULATOR"))) {
            return Optional.empty();
        }
        try {
            Path jar = Path.of(SignalChaining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path folder = jar.resolveSibling("cuda-emulator");
            return Files.isRegularFile(folder.resolve("libcuda.so.1")) ? Optional.of(folder) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM to the child, then up to 10 s for it to clean up, then SIGKILL. */
    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
    }

    /**
     * In a re-executed child: exits (running the shutdown hooks, which remove temporary files) as soon as
     * the parent is gone, even if the parent was killed with SIGKILL and could not pass a signal on.
     */
    static void dieWithParent() {
        if (System.getenv(MARKER) == null) {
            return;
        }
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("lossgrid: the parent process is gone; stopping");
            System.exit(143);
        }));
    }

    /** Runs the same command in a child JVM with libjsig preloaded; returns its exit code. */
    static int reexecute(String[] args) {
        return reexecute(Main.class, args);
    }

    /** Runs {@code main} with {@code args} in a child JVM with libjsig preloaded; returns its exit code. */
    public static int reexecute(Class<?> main, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        command.addAll(jvm);
        if (jvm.stream().noneMatch(option -> option.startsWith("-XX:+Use") && option.endsWith("GC"))) {
            command.add(THROUGHPUT_GC);
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()
                && ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent()) {
            command.add("--add-modules=" + VECTOR_MODULE);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        String preload = System.getenv("LD_PRELOAD");
        builder.environment().put("LD_PRELOAD", library() + (preload == null || preload.isBlank() ? "" : " " + preload));
        builder.environment().put(MARKER, "1");
        emulatedCuda().ifPresent(folder -> builder.environment().merge("LD_LIBRARY_PATH", folder.toString(),
                (old, emulator) -> emulator + ":" + old));
        builder.environment().putIfAbsent("POCL_CACHE_DIR", Path.of(System.getProperty("user.home"), ".cache", "lossgrid",
                "pocl").toString());
        try {
            Process child = builder.start();
            // SIGINT and SIGTERM run this JVM's shutdown hooks: pass the signal on and wait, so that the
            // child's own hooks remove its temporary files before either process is gone
            Thread forward = new Thread(() -> stop(child), "lossgrid-forward-signal");
            Runtime.getRuntime().addShutdownHook(forward);
            int code = child.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(forward);
            } catch (IllegalStateException shuttingDown) {
                // this JVM is being stopped and the hook has passed the signal on; the child's code stands
            }
            return code;
        } catch (IOException e) {
            System.err.println("lossgrid: cannot restart the JVM with " + library() + " preloaded (" + e.getMessage()
                    + "); run ./lossgrid, or set LD_PRELOAD=" + library() + " yourself");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
