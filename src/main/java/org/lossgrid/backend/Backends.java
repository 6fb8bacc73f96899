package org.lossgrid.backend;

import static org.lossgrid.error.LossgridException.param;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.lossgrid.backend.cpu.CpuBackend;
import org.lossgrid.error.LossgridException;

/**
 * The backends in order of preference for {@code auto}, and selection: an explicitly requested
 * backend that cannot run is an exit-3 error with the probe's reason; under {@code auto} each
 * skipped backend is logged once with its reason.
 */
public final class Backends {
    public static final String AUTO = "auto";

    private final List<BackendProvider> providers;

    public Backends(List<BackendProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /**
     * Every backend this build knows, most preferred first. Device backends are loaded by class name,
     * so a missing binding never stops the CPU backend from working.
     */
    public static Backends standard() {
        List<BackendProvider> providers = new ArrayList<>();
        providers.add(byName("cuda", "org.lossgrid.backend.cuda.CudaProvider"));
        providers.add(byName("opencl", "org.lossgrid.backend.opencl.OpenClProvider"));
        providers.add(new CpuProvider());
        return new Backends(providers);
    }

    private static BackendProvider byName(String name, String className) {
        try {
            return (BackendProvider) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            String reason = "its Java binding could not be loaded: " + e;
            return new BackendProvider() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Probe probe() {
                    return Probe.unavailable(name, reason);
                }

                @Override
                public Backend open(int device) {
                    throw LossgridException.backendUnavailable("backend " + name + " is unavailable: " + reason);
                }
            };
        }
    }

    public List<BackendProvider> providers() {
        return providers;
    }

    public List<Probe> probeAll() {
        return providers.stream().map(BackendProvider::probe).toList();
    }

    /** The backend {@code auto} picks, from probes in preference order. */
    public static String autoChoice(List<Probe> probes) {
        return probes.stream().filter(p -> p.available() && p.autoSkip() == null).map(Probe::backend).findFirst()
                .orElse(null);
    }

    /** Opens the requested backend ({@code auto}, {@code cpu}, ...) on the given device, or fails with the reason. */
    public Backend open(String requested, Integer device, Consumer<String> log) {
        String name = requested.trim().toLowerCase(Locale.ROOT);
        if (name.equals(AUTO)) {
            for (BackendProvider provider : providers) {
                Probe probe = provider.probe();
                if (probe.available() && probe.autoSkip() == null) {
                    return provider.open(checkedDevice(probe, device));
                }
                log.accept("auto: skipping " + provider.name() + ": "
                        + (probe.available() ? probe.autoSkip() : probe.reason()));
            }
            throw LossgridException.backendUnavailable("no backend is available");
        }
        for (BackendProvider provider : providers) {
            if (provider.name().equals(name)) {
                Probe probe = provider.probe();
                if (!probe.available()) {
                    throw LossgridException.backendUnavailable("backend " + name + " is unavailable: " + probe.reason());
                }
                return provider.open(checkedDevice(probe, device));
            }
        }
        List<String> names = new ArrayList<>(List.of(AUTO));
        providers.forEach(p -> names.add(p.name()));
        throw LossgridException.badInput(param("backend") + ": unknown backend '" + requested + "'; choose one of "
                + String.join(", ", names));
    }

    private static int checkedDevice(Probe probe, Integer device) {
        if (device == null) {
            return 0;
        }
        if (device < 0 || device >= probe.devices().size()) {
            throw LossgridException.badInput(param("device") + " " + device + ": backend " + probe.backend() + " has "
                    + probe.devices().size() + " device(s), numbered from 0; see 'lossgrid devices'");
        }
        return device;
    }

    /** The pure-Java backend is always available. */
    static final class CpuProvider implements BackendProvider {
        @Override
        public String name() {
            return "cpu";
        }

        @Override
        public Probe probe() {
            try (CpuBackend cpu = new CpuBackend()) {
                return Probe.available(name(), List.of(cpu.device()));
            }
        }

        @Override
        public Backend open(int device) {
            return new CpuBackend();
        }
    }
}
