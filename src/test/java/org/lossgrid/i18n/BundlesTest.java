package org.lossgrid.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both languages say the same things: the same keys, and every pattern is a valid MessageFormat. */
class BundlesTest {
    @ParameterizedTest
    @ValueSource(strings = {"org.lossgrid.i18n.messages", "org.lossgrid.i18n.help"})
    void chineseHasEveryKeyOfEnglishAndEveryPatternFormats(String name) {
        ResourceBundle.Control exact = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
        ResourceBundle english = ResourceBundle.getBundle(name, Locale.ROOT, exact);
        ResourceBundle chinese = ResourceBundle.getBundle(name, Locale.CHINESE, exact);
        assertEquals(new TreeSet<>(english.keySet()), new TreeSet<>(chinese.keySet()), name);
        Object[] arguments = {1, 2, 3, 4, 5, 6, 7};
        for (ResourceBundle bundle : new ResourceBundle[] {english, chinese}) {
            for (String key : bundle.keySet()) {
                if (name.endsWith("messages")) {
                    String formatted = new MessageFormat(bundle.getString(key), Locale.ROOT).format(arguments);
                    assertFalse(formatted.isBlank(), key);
                }
            }
        }
    }
}
