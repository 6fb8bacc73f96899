package org.lossgrid.error;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An expected failure with a message for the user: what is wrong and what to do, and its {@link Kind}.
 *
 * <p>A message refers to the caller's parameters through {@link #param(String)} (for example
 * {@code param("lr") + " must be positive"}), never by an adapter's spelling of them: {@link #getMessage()}
 * shows the plain name ({@code lr must be positive}), and an adapter renders the same message with
 * its own names through {@link #render(UnaryOperator)} (the CLI: {@code --lr must be positive}).
 * Adapters map the kind to an exit code or an HTTP status; the library never does.
 */
public class LossgridException extends RuntimeException {
    /** What went wrong, independent of how an adapter reports it. */
    public enum Kind {
        /** The caller's input or usage is wrong: a parameter, a value, a file's contents. */
        BAD_INPUT,
        /** The requested backend cannot run here; the message gives the reason. */
        UNAVAILABLE,
        /** Not enough memory (host or device) or disk for the request; the message gives the estimate. */
        RESOURCES,
        /** Training diverged; the message names the learning rate and suggests another. */
        DIVERGED,
        /** A failure that is a bug in lossgrid or its kernels (a kernel that does not build, say). */
        INTERNAL
    }

    private static final char MARK = '\u0000';
    private static final Pattern REFERENCE = Pattern.compile(MARK + "([^" + MARK + "]+)" + MARK);

    private final Kind kind;
    private final String template;

    public LossgridException(Kind kind, String message) {
        this(kind, message, null);
    }

    public LossgridException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.template = message;
    }

    /** A reference to the caller's parameter {@code name} inside a message, rendered by each adapter. */
    public static String param(String name) {
        return MARK + name + MARK;
    }

    public Kind kind() {
        return kind;
    }

    /** The first parameter the message refers to, or null: what an adapter points the user at. */
    public String parameter() {
        Matcher m = REFERENCE.matcher(template);
        return m.find() ? m.group(1) : null;
    }

    /** The message with plain parameter names: {@code lr must be a positive finite number, got 0}. */
    @Override
    public String getMessage() {
        return render(UnaryOperator.identity());
    }

    /** The message with each parameter reference spelt by {@code name} (the CLI passes {@code n -> "--" + n}). */
    public String render(UnaryOperator<String> name) {
        Matcher m = REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(name.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Bad usage or bad input. */
    public static LossgridException badInput(String message) {
        return new LossgridException(Kind.BAD_INPUT, message);
    }

    /** Not enough memory or disk for the request. */
    public static LossgridException resources(String message) {
        return new LossgridException(Kind.RESOURCES, message);
    }

    /** The requested backend cannot run here. */
    public static LossgridException backendUnavailable(String message) {
        return new LossgridException(Kind.UNAVAILABLE, message);
    }
}
