package org.lossgrid.i18n;

import static org.lossgrid.error.LossgridException.param;

import java.util.Locale;
import java.util.Map;

import org.lossgrid.error.LossgridException;

/**
 * The language of everything lossgrid says to people: English or Chinese (the book's). Chosen with
 * {@code --lang}, else from the environment as POSIX does ({@code LC_ALL}, then {@code LC_MESSAGES}, then
 * {@code LANG}; a value starting with {@code zh} means Chinese). The variables are read directly: the
 * JVM falls back to English when the locale is not installed. JSON keys and CSV headers stay English.
 */
public enum Language {
    EN(Locale.ENGLISH), ZH(Locale.SIMPLIFIED_CHINESE);

    private final Locale locale;

    Language(Locale locale) {
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    /** {@code zh} or {@code en} (also zh_CN, zh-Hans, en_US, ...); null means the environment's. */
    public static Language parse(String name, Map<String, String> environment) {
        if (name == null || name.isBlank()) {
            return fromEnvironment(environment);
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.startsWith("zh")) {
            return ZH;
        }
        if (key.startsWith("en")) {
            return EN;
        }
        throw LossgridException.badInput(param("lang") + ": unknown language '" + name + "'; choose zh or en");
    }

    /** The language POSIX locale variables ask for. */
    public static Language fromEnvironment(Map<String, String> environment) {
        for (String variable : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return value.toLowerCase(Locale.ROOT).startsWith("zh") ? ZH : EN;
            }
        }
        return EN;
    }
}
