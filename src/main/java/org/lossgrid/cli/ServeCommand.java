package org.lossgrid.cli;

import java.awt.Desktop;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.lossgrid.i18n.Text;
import org.lossgrid.server.LessonServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false)
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "P", defaultValue = "8080")
    int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--open")
    boolean open;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    LanguageOption language;

    private final Console console;

    ServeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw org.lossgrid.error.LossgridException.badInput("--port must be between 0 and 65535, got " + port);
        }
        Text words = Text.of(language.language());
        CountDownLatch stopped = new CountDownLatch(1);
        LessonServer server = LessonServer.start(host, port, backendOptions.backend, backendOptions.device, console::log);
        Thread stop = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "lossgrid-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        console.out().println(words.get("serve.url", server.url()));
        console.out().println(words.get(isLoopback(host) ? "serve.local" : "serve.exposed", host));
        if (open) {
            openBrowser(server, words);
        }
        stopped.await();
        return 0;
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    private void openBrowser(LessonServer server, Text words) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(server.url());
                return;
            }
            new ProcessBuilder("xdg-open", server.url().toString()).inheritIO().start();
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            console.log(words.get("serve.noBrowser", server.url()));
        }
    }
}
