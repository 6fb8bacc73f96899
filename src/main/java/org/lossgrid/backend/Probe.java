package org.lossgrid.backend;

import java.util.List;

/**
 * Whether a backend can run here: its devices, or the reason it cannot (and what to do).
 * {@code autoSkip}, when set, is why {@code --backend auto} passes over an available backend.
 * {@code emulated} marks a driver that emulates the device for tests (the CUDA emulator of the test
 * tree): it runs the real kernels, but nothing it measures is a device's performance.
 */
public record Probe(String backend, boolean available, String reason, List<DeviceInfo> devices, String autoSkip,
        boolean emulated) {
    public static Probe available(String backend, List<DeviceInfo> devices) {
        return new Probe(backend, true, null, List.copyOf(devices), null, false);
    }

    public static Probe unavailable(String backend, String reason) {
        return new Probe(backend, false, reason, List.of(), null, false);
    }

    /** An emulated device: available when asked for by name, never chosen by {@code auto} (for the reason given). */
    public static Probe emulated(String backend, List<DeviceInfo> devices, String why) {
        return new Probe(backend, true, null, List.copyOf(devices), why, true);
    }

    /** The same probe, but not chosen by {@code auto}, for the given reason. */
    public Probe skippedByAuto(String why) {
        return new Probe(backend, available, reason, devices, why, emulated);
    }
}
