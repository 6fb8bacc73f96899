package org.lossgrid.output;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every temporary file this process has open, so that none survives it: a shutdown hook (which the JVM
 * runs on SIGINT and SIGTERM) deletes them, and once it has begun no temporary file is renamed into
 * place, so an interrupted run leaves neither a temporary file nor a partial output. Names are short and
 * recognisable, {@code .lossgrid-<pid>-<8 hex>.tmp}, whatever the target's name (so they fit a file
 * system's 255-byte limit), and a later run removes the ones whose process no longer exists (after
 * {@code kill -9}, which no hook survives).
 *
 * <p>This is process-wide state by nature: a shutdown hook sees the whole process.
 */
final class TempFiles {
    private static final Pattern NAME = Pattern.compile("\\.lossgrid-(\\d+)-[0-9a-f]{8}\\.tmp");
    private static final long PID = ProcessHandle.current().pid();
    private static final Object LOCK = new Object();
    private static final Set<Path> OPEN = new HashSet<>();
    private static boolean hooked;
    private static boolean stopping;

    private TempFiles() {
    }

    /** A new empty temporary file in {@code folder}, registered for deletion; stale ones of dead runs go first. */
    static Path create(Path folder) throws IOException {
        removeStale(folder);
        synchronized (LOCK) {
            if (stopping) {
                throw new IOException("the run is being stopped");
            }
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteAll, "lossgrid-temp-cleanup"));
                hooked = true;
            }
            String name = String.format(".lossgrid-%d-%08x.tmp", PID, ThreadLocalRandom.current().nextInt());
            // not createTempFile: its owner-only permissions would survive the rename
            Path temporary = Files.createFile(folder.resolve(name));
            OPEN.add(temporary);
            return temporary;
        }
    }

    /** Renames {@code temporary} over {@code target}, unless the process is stopping. */
    static void publish(Path temporary, Path target) throws IOException {
        synchronized (LOCK) {
            if (stopping) {
                throw new IOException("the run is being stopped");
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            OPEN.remove(temporary);
        }
    }

    /** Deletes {@code temporary} if it is still there. */
    static void discard(Path temporary) {
        synchronized (LOCK) {
            delete(temporary);
            OPEN.remove(temporary);
        }
    }

    /** Temporary files of runs whose process no longer exists, in {@code folder}. */
    static List<Path> stale(Path folder) {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ".lossgrid-*.tmp")) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) != PID
                        && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
                    stale.add(entry);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable folder fails the write itself, with its reason
        }
        return stale;
    }

    private static void removeStale(Path folder) {
        stale(folder).forEach(TempFiles::delete);
    }

    private static void deleteAll() {
        synchronized (LOCK) {
            stopping = true;
            OPEN.forEach(TempFiles::delete);
            OPEN.clear();
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // nothing more can be done; the name says whose it was, and a later run removes it
        }
    }
}
