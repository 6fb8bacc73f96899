package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lossgrid.i18n.Language;
import org.lossgrid.i18n.Text;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every help screen, in both languages: each option described, every line within 80 terminal columns. */
class HelpTest {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @ParameterizedTest
    @EnumSource(Language.class)
    void everyHelpScreenDescribesEveryOptionWithin80Columns(Language language) {
        CommandLine root = Main.commandLine(new Console(NOWHERE, NOWHERE), language);
        String lang = language.name().toLowerCase(java.util.Locale.ROOT);
        check(Cli.run("--help", "--lang", lang), "lossgrid", language);
        for (CommandLine command : root.getSubcommands().values()) {
            String name = command.getCommandName();
            assertFalse(command.getCommandSpec().usageMessage().header().length == 0, name + " has a one-line summary");
            for (OptionSpec option : command.getCommandSpec().options()) {
                assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                        name + " " + option.longestName() + " has a description in " + language);
            }
            check(Cli.run(name, "--help", "--lang", lang), name, language);
        }
    }

    private static void check(Cli help, String name, Language language) {
        assertEquals(0, help.exitCode(), name);
        for (String line : help.out().split("\n")) {
            assertTrue(Text.columns(line) <= 80, name + " (" + language + "): " + Text.columns(line) + " columns: " + line);
        }
        if (language == Language.ZH) {
            assertTrue(help.out().contains("用法"), help.out());
        }
    }
}
