package org.lossgrid.backend.cuda;

import static org.lossgrid.error.LossgridException.param;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import org.lossgrid.backend.KernelCache;
import org.lossgrid.backend.KernelSource;
import org.lossgrid.error.LossgridException;

/**
 * The fallback when the driver refuses the packaged PTX: NVRTC compiles the kernel source for this
 * device's own architecture ({@code sm_XY}) to a CUBIN, which needs no further JIT and which the same
 * driver accepts. Where this NVRTC does not know the device's architecture (a GPU newer than the
 * compiler), it compiles PTX for the newest virtual architecture it knows that the device can run.
 *
 * <p>JCuda 12.6's NVRTC binding is linked against {@code libnvrtc.so.12} (versioned symbols), so that is
 * the library it can use. It is looked for in the places CUDA installs it and loaded by its full path
 * before the binding, so that it need not be on {@code LD_LIBRARY_PATH}; where only another version
 * exists (CUDA 13's {@code libnvrtc.so.13}), the error says so.
 */
final class Nvrtc {
    /** The NVRTC the binding links against. */
    static final String BOUND = "libnvrtc.so.12";
    /** Every NVRTC a CUDA 12 or 13 toolkit installs, in order of preference. */
    static final List<String> VERSIONS = List.of(BOUND, "libnvrtc.so.13");

    private Nvrtc() {
    }

    /** The CUBIN (or PTX, see the class comment) of {@code key}'s source and defines for a device of compute capability major.minor. */
    static byte[] compile(KernelCache.Key key, int major, int minor, String why) {
        List<Path> folders = searchPath(System.getenv());
        Map<String, Path> found = locate(folders);
        Path bound = found.get(BOUND);
        try {
            if (bound != null) {
                System.load(bound.toString());
            }
            return compileLoaded(key, major, minor, why);
        } catch (LinkageError e) {
            String others = found.isEmpty()
                    ? "no libnvrtc.so.* in " + String.join(":", folders.stream().map(Path::toString).toList())
                    : "found " + found + ", but JCuda's binding needs " + BOUND;
            throw LossgridException.backendUnavailable("backend cuda: " + why + ", and NVRTC cannot be used ("
                    + others + "); install the CUDA 12 runtime compiler (cuda-nvrtc-12-*), update the NVIDIA driver, or use "
                    + param("backend") + " opencl");
        }
    }

    private static byte[] compileLoaded(KernelCache.Key key, int major, int minor, String why) {
        JNvrtc.setExceptionsEnabled(false);
        int architecture = major * 10 + minor;
        Set<Integer> supported = supported();
        boolean forDevice = supported.contains(architecture);
        int virtual = supported.stream().filter(a -> a <= architecture).max(Integer::compare).orElse(architecture);
        nvrtcProgram program = new nvrtcProgram();
        JNvrtc.nvrtcCreateProgram(program, KernelSource.load(key.source()), "lossgrid.cu", 0, null, null);
        try {
            List<String> options = new ArrayList<>(key.options("-D"));
            options.add(forDevice ? "--gpu-architecture=sm_" + architecture : "--gpu-architecture=compute_" + virtual);
            int status = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(String[]::new));
            if (status != 0) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw LossgridException.backendUnavailable("backend cuda: " + why + ", and NVRTC failed to compile "
                        + key.source() + " (" + String.join(" ", options) + "):\n" + log[0]);
            }
            if (forDevice) {
                long[] size = new long[1];
                JNvrtc.nvrtcGetCUBINSize(program, size);
                byte[] cubin = new byte[(int) size[0]];
                JNvrtc.nvrtcGetCUBIN(program, cubin);
                return cubin;
            }
            String[] ptx = new String[1];
            JNvrtc.nvrtcGetPTX(program, ptx);
            byte[] text = ptx[0].getBytes(StandardCharsets.US_ASCII);
            return Arrays.copyOf(text, text.length + 1);
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** The architectures this NVRTC compiles for, as 10 * major + minor. */
    private static Set<Integer> supported() {
        int[] count = new int[1];
        JNvrtc.nvrtcGetNumSupportedArchs(count);
        int[] architectures = new int[count[0]];
        JNvrtc.nvrtcGetSupportedArchs(architectures);
        Set<Integer> all = new LinkedHashSet<>();
        Arrays.stream(architectures).forEach(all::add);
        return all;
    }

    /**
     * Where CUDA puts NVRTC, in order: {@code LD_LIBRARY_PATH}, {@code CUDA_HOME} and {@code CUDA_PATH},
     * {@code /usr/local/cuda} and every {@code /usr/local/cuda-*}, then Debian's and Red Hat's library folders.
     */
    static List<Path> searchPath(Map<String, String> environment) {
        List<Path> folders = new ArrayList<>();
        String libraryPath = environment.get("LD_LIBRARY_PATH");
        if (libraryPath != null) {
            Arrays.stream(libraryPath.split(":")).filter(s -> !s.isBlank()).map(Path::of).forEach(folders::add);
        }
        List<Path> roots = new ArrayList<>();
        for (String variable : List.of("CUDA_HOME", "CUDA_PATH")) {
            String root = environment.get(variable);
            if (root != null && !root.isBlank()) {
                roots.add(Path.of(root));
            }
        }
        roots.add(Path.of("/usr/local/cuda"));
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(Path.of("/usr/local"), "cuda-*")) {
            versions.forEach(roots::add);
        } catch (IOException | RuntimeException e) {
            // no /usr/local, or unreadable: nothing to add
        }
        for (Path root : roots) {
            folders.add(root.resolve("lib64"));
            folders.add(root.resolve("targets/x86_64-linux/lib"));
        }
        folders.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        folders.add(Path.of("/usr/lib64"));
        return folders;
    }

    /** The first file of each name of {@link #VERSIONS} found in {@code folders}, by name, in the order of VERSIONS. */
    static Map<String, Path> locate(List<Path> folders) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String name : VERSIONS) {
            folders.stream().map(folder -> folder.resolve(name)).filter(Files::isRegularFile).findFirst()
                    .ifPresent(path -> found.put(name, path.toAbsolutePath()));
        }
        return found;
    }
}
