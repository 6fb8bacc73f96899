package org.lossgrid.i18n;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Human-readable text in one language, from the {@code org.lossgrid.i18n.messages} bundles (UTF-8
 * properties; {@code messages_zh} uses the book's terms: 误差表面, 损失, 学习率, 梯度下降, ...). A
 * missing key is a bug, reported as such, never shown as a key.
 */
public final class Text {
    private static final String BUNDLE = "org.lossgrid.i18n.messages";

    private final Language language;
    private final ResourceBundle bundle;

    private Text(Language language) {
        this.language = language;
        this.bundle = ResourceBundle.getBundle(BUNDLE, language.locale(), ResourceBundle.Control
                .getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static Text of(Language language) {
        return new Text(language);
    }

    /** English, for code that has no user to speak to. */
    public static Text english() {
        return of(Language.EN);
    }

    public Language language() {
        return language;
    }

    /** The text of {@code key}, with {@code {0}}, {@code {1}}, ... filled from {@code args} (MessageFormat). */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no text '" + key + "' in " + BUNDLE + " for " + language, e);
        }
        return new MessageFormat(pattern, language.locale()).format(args);
    }
}
