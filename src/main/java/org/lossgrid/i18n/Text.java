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

    /**
     * The text of {@code key}, with {@code {0}}, {@code {1}}, ... filled from {@code args} (MessageFormat);
     * a whole number in a plain {@code {n}} shows as it is, without grouping (10000 steps, not 10,000).
     */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no text '" + key + "' in " + BUNDLE + " for " + language, e);
        }
        MessageFormat format = new MessageFormat(pattern, language.locale());
        java.text.Format[] formats = format.getFormatsByArgumentIndex();
        Object[] shown = args.clone();
        for (int i = 0; i < shown.length; i++) {
            if ((shown[i] instanceof Integer || shown[i] instanceof Long) && (i >= formats.length || formats[i] == null)) {
                shown[i] = shown[i].toString();
            }
        }
        return format.format(shown);
    }

    /** Columns {@code text} takes in a terminal: two for each wide (CJK) character, one for the others. */
    public static int columns(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            columns += wide(text.codePointAt(i)) ? 2 : 1;
        }
        return columns;
    }

    /** {@code text} padded with spaces on the left to {@code width} terminal columns (negative: on the right). */
    public static String pad(String text, int width) {
        String spaces = " ".repeat(Math.max(0, Math.abs(width) - columns(text)));
        return width < 0 ? text + spaces : spaces + text;
    }

    /** East Asian wide and fullwidth characters: CJK ideographs and punctuation, kana, hangul, fullwidth forms. */
    private static boolean wide(int c) {
        return c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
                || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60)
                || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd));
    }
}
