package org.lossgrid.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import org.lossgrid.data.SampleChannel;
import org.lossgrid.data.Series;
import org.lossgrid.error.LossgridException;
import org.lossgrid.output.AtomicOutput;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true)
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "" + SampleChannel.DEFAULT_SEED)
    long seed;

    @Option(names = "--from", paramLabel = "DATE", defaultValue = "2017-01-01")
    String from;

    @Option(names = "--to", paramLabel = "DATE", defaultValue = "2021-12-31")
    String to;

    @Option(names = "--out", paramLabel = "FILE", required = true)
    String out;

    @Mixin
    LanguageOption language;

    private final Console console;

    /** The longest series generated: far beyond any lesson, small enough to hold as text in memory. */
    static final long MAX_DAYS = 100_000;

    GenerateCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        LocalDate first = date(from, "--from");
        LocalDate last = date(to, "--to");
        if (last.isBefore(first)) {
            throw LossgridException.badInput("--to " + last + " is before --from " + first);
        }
        long days = java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1;
        if (days > MAX_DAYS) {
            throw LossgridException.badInput("--from " + first + " --to " + last + " spans " + days + " days; a channel "
                    + "of at most " + MAX_DAYS + " days (about 270 years) can be generated");
        }
        Series series = SampleChannel.generate(seed, first, last);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            SampleChannel.write(series, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.equals("-")) {
            console.out().print(bytes.toString(StandardCharsets.UTF_8));
        } else {
            AtomicOutput.write(Path.of(out), bytes.toByteArray());
            console.log("wrote " + series.days() + " days to " + out);
        }
        return 0;
    }

    private static LocalDate date(String text, String flag) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw LossgridException.badInput(flag + ": '" + text + "' is not an ISO date (YYYY-MM-DD)");
        }
    }
}
