package org.lossgrid.cli;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.Backends;

import picocli.CommandLine.Option;

/** Which backend computes, and on which of its devices. */
final class BackendOptions {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "auto, cpu, opencl or cuda (default: ${DEFAULT-VALUE}: the first available of cuda, opencl, cpu).")
    String backend;

    @Option(names = "--device", paramLabel = "N", description = "Device number within the backend, as 'lossgrid devices' lists them (default: 0).")
    Integer device;

    Backend open(Console console) {
        return Backends.standard().open(backend, device, console::log);
    }
}
