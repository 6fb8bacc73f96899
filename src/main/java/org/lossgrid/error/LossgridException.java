package org.lossgrid.error;

/**
 * An expected failure with a message for the user: what is wrong and what to do.
 * The CLI prints the message (never a stack trace) and exits with {@link #exitCode()}.
 */
public class LossgridException extends RuntimeException {
    private final ExitCode exitCode;

    public LossgridException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LossgridException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Bad usage or bad input: exit code 2. */
    public static LossgridException badInput(String message) {
        return new LossgridException(ExitCode.BAD_INPUT, message);
    }

    /** Not enough memory or disk for the request: exit code 4. */
    public static LossgridException resources(String message) {
        return new LossgridException(ExitCode.RESOURCES, message);
    }

    /** The requested backend cannot run here: exit code 3. */
    public static LossgridException backendUnavailable(String message) {
        return new LossgridException(ExitCode.BACKEND_UNAVAILABLE, message);
    }
}
