package org.lossgrid.cli;

import org.lossgrid.api.Lossgrid;
import org.lossgrid.data.Split;

import picocli.CommandLine.Option;

/** Which backend computes, and on which of its devices. */
final class BackendOptions {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto")
    String backend;

    @Option(names = "--device", paramLabel = "N")
    Integer device;

    /** The library handle on the chosen backend for {@code data}; why auto skipped a backend goes to the log. */
    Lossgrid open(Split data, Console console) {
        return Lossgrid.open(backend, device, data, console::log);
    }
}
