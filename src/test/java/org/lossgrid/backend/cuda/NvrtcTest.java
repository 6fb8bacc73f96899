package org.lossgrid.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the NVRTC fallback looks for the runtime compiler, and which versions it recognises. */
class NvrtcTest {
    @TempDir
    Path folder;

    @Test
    void everyInstalledVersionIsFoundInTheFirstFolderThatHasIt() throws IOException {
        Path cuda13 = Files.createDirectories(folder.resolve("cuda-13.0/lib64"));
        Path cuda12 = Files.createDirectories(folder.resolve("cuda-12.6/lib64"));
        Path later = Files.createDirectories(folder.resolve("later"));
        Files.createFile(cuda13.resolve("libnvrtc.so.13"));
        Files.createFile(cuda12.resolve("libnvrtc.so.12"));
        Files.createFile(later.resolve("libnvrtc.so.12"));
        Map<String, Path> found = Nvrtc.locate(List.of(folder.resolve("empty"), cuda13, cuda12, later));
        assertEquals(List.of("libnvrtc.so.12", "libnvrtc.so.13"), List.copyOf(found.keySet()), "in order of preference");
        assertEquals(cuda12.resolve("libnvrtc.so.12"), found.get("libnvrtc.so.12"));
        assertEquals(cuda13.resolve("libnvrtc.so.13"), found.get("libnvrtc.so.13"));
        assertTrue(Nvrtc.locate(List.of(later.resolve("missing"))).isEmpty());
    }

    @Test
    void theLibraryPathComesFirstThenTheToolkitsThenTheSystem() {
        List<Path> path = Nvrtc.searchPath(Map.of("LD_LIBRARY_PATH", "/opt/a::/opt/b", "CUDA_HOME", "/opt/cuda"));
        assertEquals(List.of(Path.of("/opt/a"), Path.of("/opt/b"), Path.of("/opt/cuda/lib64"),
                Path.of("/opt/cuda/targets/x86_64-linux/lib"), Path.of("/usr/local/cuda/lib64")), path.subList(0, 5));
        assertEquals(Path.of("/usr/lib64"), path.get(path.size() - 1));
        assertTrue(path.contains(Path.of("/usr/lib/x86_64-linux-gnu")));
    }
}
