package org.lossgrid.output;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

import org.lossgrid.i18n.Language;
import org.lossgrid.i18n.Text;

/**
 * The words a figure draws and the font that can draw them. For Chinese it picks a font that displays
 * every string of the Chinese texts ({@link Font#canDisplayUpTo}); where none is installed the figures
 * fall back to English, and {@link #fellBack()} says so, so that the adapter can tell the user which
 * package to install (Debian: fonts-wqy-microhei or fonts-noto-cjk).
 */
public record FigureText(Text text, String family, boolean fellBack) {
    /** Families tried first, in order; then every installed family. */
    private static final List<String> PREFERRED = List.of("SansSerif", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
            "Noto Sans SC", "Source Han Sans SC", "AR PL UMing CN", "Droid Sans Fallback");

    /** English figures in the JDK's sans-serif font. */
    public static FigureText english() {
        return new FigureText(Text.english(), "SansSerif", false);
    }

    /** Figures in {@code language}, or in English where no installed font can display it. */
    public static FigureText of(Language language) {
        if (language == Language.EN) {
            return english();
        }
        Text text = Text.of(language);
        String sample = String.join("", strings(language));
        String family = displaying(sample);
        return family == null ? new FigureText(Text.english(), "SansSerif", true) : new FigureText(text, family, false);
    }

    /** Every text of the language's bundle, which a figure may draw. */
    static List<String> strings(Language language) {
        ResourceBundle bundle = ResourceBundle.getBundle("org.lossgrid.i18n.messages", language.locale(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        List<String> all = new ArrayList<>();
        for (String key : bundle.keySet()) {
            all.add(bundle.getString(key));
        }
        return all;
    }

    /** The first family, preferred ones first, whose plain font can display all of {@code sample}. */
    static String displaying(String sample) {
        List<String> candidates = new ArrayList<>(PREFERRED);
        candidates.addAll(List.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)));
        for (String family : candidates) {
            Font font = new Font(family, Font.PLAIN, 12);
            if ((font.getFamily(Locale.ROOT).equals(family) || family.equals("SansSerif")) && font.canDisplayUpTo(sample) == -1) {
                return family;
            }
        }
        return null;
    }

    /**
     * A data set's name as a figure shows it: the bundled channel's name, and the "(train)" or "(test)"
     * of a split, in the figure's language.
     */
    public String dataName(String name) {
        String shown = name.startsWith(org.lossgrid.data.SampleChannel.NAME)
                ? get("data.sample") + name.substring(org.lossgrid.data.SampleChannel.NAME.length()) : name;
        for (String part : new String[] {"train", "test"}) {
            if (shown.endsWith(" (" + part + ")")) {
                shown = shown.substring(0, shown.length() - part.length() - 3) + get("data." + part);
            }
        }
        return shown;
    }

    public Font font(int style, int size) {
        return new Font(family, style, size);
    }

    public String get(String key, Object... args) {
        return text.get(key, args);
    }
}
