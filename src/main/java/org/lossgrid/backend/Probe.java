package org.lossgrid.backend;

import java.util.List;

/**
 * Whether a backend can run here: its devices, or the reason it cannot (and what to do).
 * {@code autoSkip}, when set, is why {@code --backend auto} passes over an available backend.
 */
public record Probe(String backend, boolean available, String reason, List<DeviceInfo> devices, String autoSkip) {
    public static Probe available(String backend, List<DeviceInfo> devices) {
        return new Probe(backend, true, null, List.copyOf(devices), null);
    }

    public static Probe unavailable(String backend, String reason) {
        return new Probe(backend, false, reason, List.of(), null);
    }

    /** The same probe, but not chosen by {@code auto}, for the given reason. */
    public Probe skippedByAuto(String why) {
        return new Probe(backend, available, reason, devices, why);
    }
}
