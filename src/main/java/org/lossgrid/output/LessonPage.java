package org.lossgrid.output;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.lossgrid.i18n.Text;

/** The demo's index.html: its figures in the book's order, each with one line saying which figure of the book it is. */
public final class LessonPage {
    private LessonPage() {
    }

    /** One figure: its file name (next to the page) and its line. */
    public record Figure(String file, String caption) {
    }

    /** The page, self-contained (no scripts, no fonts or styles from elsewhere), in {@code text}'s language. */
    public static byte[] html(Text text, String title, List<String> intro, List<Figure> figures) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"")
                .append(text.language().locale().toLanguageTag()).append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }\n")
                .append("figure { margin: 2.5em 0; } img { max-width: 100%; border: 1px solid #ddd; }\n")
                .append("figcaption { margin-top: .5em; font-size: 1.05em; } .number { font-weight: bold; }\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (String line : intro) {
            html.append("<p>").append(escape(line)).append("</p>\n");
        }
        for (int i = 0; i < figures.size(); i++) {
            Figure figure = figures.get(i);
            html.append("<figure id=\"").append(escape(figure.file())).append("\">\n<img src=\"").append(escape(figure.file()))
                    .append("\" alt=\"").append(escape(figure.caption())).append("\">\n<figcaption><span class=\"number\">")
                    .append(i + 1).append(".</span> ").append(escape(figure.caption())).append(" <code>")
                    .append(escape(figure.file())).append("</code></figcaption>\n</figure>\n");
        }
        html.append("</body>\n</html>\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
