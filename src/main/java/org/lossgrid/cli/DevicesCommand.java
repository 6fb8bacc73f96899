package org.lossgrid.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.backend.Backends;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.Probe;
import org.lossgrid.util.Bytes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Lists every backend: available or not (and why), its devices, compute units and memory.")
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object on stdout instead of text.")
    boolean json;

    private final Console console;

    DevicesCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Backends backends = Backends.standard();
        java.util.List<Probe> probes = backends.probeAll();
        String chosen = Backends.autoChoice(probes);
        ObjectNode summary = Json.object();
        ArrayNode list = summary.putArray("backends");
        StringBuilder text = new StringBuilder();
        for (Probe probe : probes) {
            ObjectNode node = list.addObject();
            node.put("backend", probe.backend());
            node.put("available", probe.available());
            if (probe.autoSkip() != null) {
                node.put("auto_skips", probe.autoSkip());
            }
            if (!probe.available()) {
                node.put("reason", probe.reason());
                text.append(String.format(Locale.ROOT, "%-7s unavailable: %s%n", probe.backend(), probe.reason()));
                continue;
            }
            ArrayNode devices = node.putArray("devices");
            for (int d = 0; d < probe.devices().size(); d++) {
                DeviceInfo device = probe.devices().get(d);
                ObjectNode dn = devices.addObject();
                dn.put("index", d);
                dn.put("name", device.name());
                dn.put("compute_units", device.computeUnits());
                dn.put("memory_bytes", device.memoryBytes());
                dn.put("details", device.details());
                text.append(String.format(Locale.ROOT, "%-7s device %d: %s, %d compute units, %s memory (%s)%n",
                        probe.backend(), d, device.name(), device.computeUnits(), Bytes.format(device.memoryBytes()),
                        device.details()));
            }
        }
        summary.put("auto", chosen);
        boolean chained = SignalChaining.loaded();
        summary.put("signal_chaining", chained);
        if (json) {
            console.json(summary);
        } else {
            console.out().print(text);
            console.out().println("auto    picks " + chosen + probes.stream().filter(p -> p.autoSkip() != null)
                    .map(p -> " (not " + p.backend() + ": " + p.autoSkip() + ")").findFirst().orElse(""));
            console.out().println("jvm     libjsig " + (chained ? "preloaded" : "not preloaded")
                    + " (POCL needs it; ./lossgrid and java -jar arrange it)");
        }
        return 0;
    }
}
