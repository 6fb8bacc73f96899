package org.lossgrid.output;

import static org.lossgrid.error.LossgridException.param;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lossgrid.error.LossgridException;
import org.lossgrid.util.Bytes;

/**
 * Checks of output paths before any work, and the reasons of failed writes: the one place that decides
 * whether a path may be written and says why not.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /** The file a write to {@code target} replaces: the target, or the final file of a symbolic link. */
    static Path destination(Path target) {
        if (Files.isSymbolicLink(target)) {
            try {
                return target.toRealPath();
            } catch (IOException e) {
                // a dangling link: its target is created, in the link's folder's terms
                try {
                    Path link = Files.readSymbolicLink(target);
                    return target.toAbsolutePath().getParent().resolve(link).normalize();
                } catch (IOException unreadable) {
                    throw failure(target, unreadable);
                }
            }
        }
        return target.toAbsolutePath();
    }

    /**
     * Checks that {@code target} names a regular file (or nothing yet) in an existing, writable folder;
     * a folder, a device, a FIFO or a socket is BAD_INPUT. Returns the folder the file is written in
     * (that of a symbolic link's target).
     */
    public static Path checkWritable(Path target) {
        Path destination = destination(target);
        if (Files.isDirectory(destination)) {
            throw LossgridException.badInput("cannot write " + target + ": it is a folder; give a file name");
        }
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(destination)) {
            throw LossgridException.badInput("cannot write " + target + ": it is " + kind(destination)
                    + ", not a regular file; give a file name");
        }
        Path folder = destination.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw LossgridException.badInput("cannot write " + target + ": the folder " + folder
                    + " does not exist; create it first");
        }
        if (!Files.isWritable(folder)) {
            throw LossgridException.badInput("cannot write " + target + ": the folder " + folder + " is not writable ("
                    + (readOnly(folder) ? "the file system is read-only" : "permission denied") + "); choose another place");
        }
        return folder;
    }

    /**
     * Before any work: every output can be written, no two outputs are the same file, and no output is an
     * input. Keys are the parameters that named the paths (npy, png, data, ...).
     */
    public static void checkDistinct(Map<String, Path> outputs, Map<String, Path> inputs) {
        Map<Path, String> seen = new LinkedHashMap<>();
        inputs.forEach((name, path) -> {
            if (path != null) {
                seen.putIfAbsent(identity(path), name);
            }
        });
        Map<Path, String> written = new LinkedHashMap<>();
        outputs.forEach((name, path) -> {
            if (path == null) {
                return;
            }
            checkWritable(path);
            Path id = identity(path);
            if (seen.containsKey(id)) {
                throw LossgridException.badInput(param(name) + " " + path + " is the input " + param(seen.get(id))
                        + "; it would be overwritten: write the output elsewhere");
            }
            if (written.containsKey(id)) {
                throw LossgridException.badInput(param(written.get(id)) + " and " + param(name) + " are the same file "
                        + path + "; give each output its own name");
            }
            written.put(id, name);
        });
    }

    /**
     * Before writing: enough free space for each output's estimated size, summed per file system, or
     * RESOURCES naming the estimate and what is free.
     */
    public static void checkSpace(Map<Path, Long> estimates) {
        Map<FileStore, Long> needed = new LinkedHashMap<>();
        Map<FileStore, Path> example = new LinkedHashMap<>();
        for (Map.Entry<Path, Long> e : estimates.entrySet()) {
            try {
                FileStore store = Files.getFileStore(checkWritable(e.getKey()));
                needed.merge(store, e.getValue(), Long::sum);
                example.putIfAbsent(store, e.getKey());
            } catch (IOException unknown) {
                // a file system that cannot say its free space is checked by the write itself
            }
        }
        for (Map.Entry<FileStore, Long> e : needed.entrySet()) {
            long free;
            try {
                free = e.getKey().getUsableSpace();
            } catch (IOException unknown) {
                continue;
            }
            if (e.getValue() > free) {
                throw LossgridException.resources("writing " + example.get(e.getKey()) + " needs about "
                        + Bytes.format(e.getValue()) + ", but its file system has only " + Bytes.format(free)
                        + " free; free some space, write elsewhere, or use a smaller grid");
            }
        }
    }

    /** A failed write as the user should read it: the path, why (permission, read-only, full disk), and its kind. */
    public static LossgridException failure(Path target, IOException e) {
        String reason = reason(e);
        if (reason.startsWith("no space left")) {
            return new LossgridException(LossgridException.Kind.RESOURCES, "cannot write " + target + ": " + reason
                    + " (out of disk); free some space or write elsewhere", e);
        }
        return new LossgridException(LossgridException.Kind.BAD_INPUT, "cannot write " + target + ": " + reason, e);
    }

    private static String reason(IOException e) {
        String message = String.valueOf(e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e.getMessage());
        if (message.contains("No space left on device")) {
            return "no space left on the device";
        }
        if (message.contains("Read-only file system")) {
            return "the file system is read-only";
        }
        if (e instanceof AccessDeniedException || message.contains("Permission denied")) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such folder";
        }
        return message;
    }

    private static boolean readOnly(Path folder) {
        try {
            return Files.getFileStore(folder).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    private static String kind(Path path) {
        try {
            Object type = Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode");
            int format = ((Integer) type) & 0170000;
            return switch (format) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    /** The file a path names, for comparisons: its real path where it exists, else its folder's real path and name. */
    private static Path identity(Path path) {
        Path destination = destination(path);
        try {
            return destination.toRealPath();
        } catch (IOException e) {
            Path folder = destination.getParent();
            try {
                return folder == null ? destination : folder.toRealPath().resolve(destination.getFileName());
            } catch (IOException missing) {
                return destination.normalize();
            }
        }
    }
}
