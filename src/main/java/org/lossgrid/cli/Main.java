package org.lossgrid.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.ResourceBundle;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lossgrid.error.LossgridException;
import org.lossgrid.i18n.Language;
import org.lossgrid.report.Json;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lossgrid <command>}: the CLI of DESIGN.md section 5. */
@Command(name = "lossgrid", mixinStandardHelpOptions = true, version = "lossgrid 0.1.0")
public final class Main {
    /** The help screens' texts, English and Chinese. */
    private static final String HELP = "org.lossgrid.i18n.help";

    private Main() {
    }

    public static void main(String[] args) {
        if (SignalChaining.needed(args)) {
            System.exit(SignalChaining.reexecute(args));
        }
        SignalChaining.dieWithParent();
        System.exit(run(args, System.out, System.err));
    }

    /** Every command, with its help screens in {@code language}. */
    static CommandLine commandLine(Console console, Language language) {
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand(new DemoCommand(console))
                .addSubcommand(new SurfaceCommand(console))
                .addSubcommand(new TrainCommand(console))
                .addSubcommand(new SeriesCommand(console))
                .addSubcommand(new PredictCommand(console))
                .addSubcommand(new ModelsCommand(console))
                .addSubcommand(new LandscapeCommand(console))
                .addSubcommand(new CurveCommand(console))
                .addSubcommand(new LrPresetsCommand(console))
                .addSubcommand(new ServeCommand(console))
                .addSubcommand(new DevicesCommand(console))
                .addSubcommand(new GenerateCommand(console))
                .addSubcommand(new BenchCommand(console));
        cli.setResourceBundle(ResourceBundle.getBundle(HELP, language.locale(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
        return cli;
    }

    /** Runs one command and returns its exit code; never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Console console = new Console(out, err);
        CommandLine cli = commandLine(console, LanguageOption.requested(args));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        boolean json = List.of(args).contains("--json");
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> handle(e, console, json));
        cli.setParameterExceptionHandler((e, args2) -> {
            int code = fail(console, json, ExitCode.BAD_INPUT, e.getMessage());
            err.println("Run 'lossgrid " + (e.getCommandLine().getCommandName().equals("lossgrid") ? ""
                    : e.getCommandLine().getCommandName() + " ") + "--help' for usage.");
            return code;
        });
        if (args.length == 0) {
            cli.usage(out);
            return ExitCode.BAD_INPUT.code();
        }
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(console, json);
        }
    }

    private static int handle(Exception e, Console console, boolean json) {
        debug(e);
        if (e instanceof LossgridException known) {
            return fail(console, json, ExitCode.of(known.kind()), flagged(known));
        }
        if (e instanceof UncheckedIOException io) {
            return fail(console, json, ExitCode.BAD_INPUT, io.getMessage());
        }
        if (e.getCause() instanceof OutOfMemoryError) {
            return outOfMemory(console, json);
        }
        return fail(console, json, ExitCode.BUG, "internal error (a bug in lossgrid; please report it with the command "
                + "line): " + e);
    }

    /**
     * Reports a failure: the message on stderr, and with --json also one object on stdout,
     * {@code {"error": {"kind", "message", "exit_code"}}}, unless the command already printed its own.
     */
    static int fail(Console console, boolean json, ExitCode code, String message) {
        console.log(code == ExitCode.BUG ? message : "error: " + message);
        if (json && !console.jsonPrinted()) {
            ObjectNode error = Json.object();
            ObjectNode body = error.putObject("error");
            body.put("kind", code.kind());
            body.put("message", message);
            body.put("exit_code", code.code());
            console.json(error);
        }
        return code.code();
    }

    /** The library's message with each parameter spelt as its flag: {@code lr} becomes {@code --lr}. */
    static String flagged(LossgridException e) {
        return e.render(name -> "--" + name);
    }

    static int outOfMemory(Console console, boolean json) {
        return fail(console, json, ExitCode.RESOURCES, "the Java heap ran out of memory; give the JVM more "
                + "(java -Xmx8g -jar ...) or lower --max-memory and use a smaller grid");
    }

    private static void debug(Throwable e) {
        if (System.getenv("LOSSGRID_DEBUG") != null) {
            e.printStackTrace();
        }
    }
}
