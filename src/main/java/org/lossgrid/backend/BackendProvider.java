package org.lossgrid.backend;

/**
 * Finds and opens one kind of backend. Probing never throws: a missing driver or library
 * ({@link LinkageError}) becomes a {@link Probe} with the reason.
 */
public interface BackendProvider {
    String name();

    Probe probe();

    /** Opens the given device (0-based, as listed by the probe). */
    Backend open(int device);
}
