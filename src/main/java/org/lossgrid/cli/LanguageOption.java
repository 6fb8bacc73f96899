package org.lossgrid.cli;

import java.util.Map;

import org.lossgrid.error.LossgridException;
import org.lossgrid.i18n.Language;
import org.lossgrid.output.FigureText;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** --lang zh|en: the language of text, tables and figures (default: from LC_ALL, LC_MESSAGES or LANG). */
final class LanguageOption {
    @Option(names = "--lang", paramLabel = "zh|en", converter = Parser.class)
    Language lang;

    /** --lang's value checked when the command line is parsed, so a bad one is a usage error (exit 2) at once. */
    static final class Parser implements ITypeConverter<Language> {
        @Override
        public Language convert(String value) {
            try {
                return Language.parse(value, Map.of());
            } catch (LossgridException e) {
                throw new TypeConversionException("'" + value + "' is not a language; choose zh or en");
            }
        }
    }

    /**
     * The language a command line asks for before it is parsed (for its help screen): the value of
     * --lang where it is a language, else the environment's.
     */
    static Language requested(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = args[i].startsWith("--lang=") ? args[i].substring(7)
                    : args[i].equals("--lang") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null) {
                try {
                    return Language.parse(value, Map.of());
                } catch (LossgridException notALanguage) {
                    break;
                }
            }
        }
        return Language.fromEnvironment(System.getenv());
    }

    Language language() {
        return lang != null ? lang : Language.fromEnvironment(System.getenv());
    }

    /** The figures' words and font; where no font can draw Chinese, English, and the console says which package to install. */
    FigureText figures(Console console) {
        FigureText text = FigureText.of(language());
        if (text.fellBack()) {
            console.log("no installed font can draw Chinese, so the figures are in English; install one "
                    + "(Debian: apt-get install fonts-wqy-microhei, or fonts-noto-cjk)");
        }
        return text;
    }
}
