package org.lossgrid.backend;

import java.util.List;

/** Whether a backend can run here: its devices, or the reason it cannot (and what to do). */
public record Probe(String backend, boolean available, String reason, List<DeviceInfo> devices) {
    public static Probe available(String backend, List<DeviceInfo> devices) {
        return new Probe(backend, true, null, List.copyOf(devices));
    }

    public static Probe unavailable(String backend, String reason) {
        return new Probe(backend, false, reason, List.of());
    }
}
