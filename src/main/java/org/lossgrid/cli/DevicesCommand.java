package org.lossgrid.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.backend.Backends;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.backend.Probe;
import org.lossgrid.backend.cpu.SurfaceLoopsChoice;
import org.lossgrid.i18n.Text;
import org.lossgrid.report.Json;
import org.lossgrid.util.Bytes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "devices", mixinStandardHelpOptions = true)
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json")
    boolean json;

    @Mixin
    LanguageOption language;

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
        Text words = Text.of(language.language());
        for (Probe probe : probes) {
            ObjectNode node = list.addObject();
            node.put("backend", probe.backend());
            node.put("available", probe.available());
            node.put("emulated", probe.emulated());
            if (probe.autoSkip() != null) {
                node.put("auto_skips", probe.autoSkip());
            }
            if (!probe.available()) {
                node.put("reason", probe.reason());
                text.append(words.get("devices.unavailable", Text.pad(probe.backend(), -7), probe.reason())).append('\n');
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
                text.append(words.get("devices.device", Text.pad(probe.backend(), -7), d, device.name(),
                        device.computeUnits(), Bytes.format(device.memoryBytes()), device.details())).append('\n');
            }
        }
        summary.put("auto", chosen);
        boolean chained = SignalChaining.loaded();
        summary.put("signal_chaining", chained);
        SurfaceLoopsChoice loops = SurfaceLoopsChoice.current();
        ObjectNode cpuLoops = summary.putObject("cpu_loops");
        cpuLoops.put("implementation", loops.implementation());
        cpuLoops.put("reason", loops.reason().name().toLowerCase(Locale.ROOT));
        if (loops.vectorBits() > 0) {
            cpuLoops.put("vector_bits", loops.vectorBits());
        }
        if (json) {
            console.json(summary);
        } else {
            console.out().print(text);
            console.out().println(words.get("devices.auto", chosen) + probes.stream().filter(p -> p.autoSkip() != null)
                    .map(p -> words.get("devices.auto.not", p.backend(), p.autoSkip())).findFirst().orElse(""));
            console.out().println(words.get(chained ? "devices.jvm.preloaded" : "devices.jvm.missing"));
            console.out().println(words.get("devices.loops." + loops.reason().name().toLowerCase(Locale.ROOT),
                    loops.vectorBits(), SurfaceLoopsChoice.MIN_VECTOR_BITS));
        }
        return 0;
    }
}
