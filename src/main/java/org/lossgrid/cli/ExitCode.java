package org.lossgrid.cli;

import org.lossgrid.error.LossgridException;

/** The process exit codes of the CLI contract (DESIGN.md section 5). */
public enum ExitCode {
    OK(0),
    BUG(1),
    BAD_INPUT(2),
    BACKEND_UNAVAILABLE(3),
    RESOURCES(4),
    DIVERGED(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The exit code of a library failure of this kind. */
    public static ExitCode of(LossgridException.Kind kind) {
        return switch (kind) {
            case BAD_INPUT -> BAD_INPUT;
            case UNAVAILABLE -> BACKEND_UNAVAILABLE;
            case RESOURCES -> RESOURCES;
            case DIVERGED -> DIVERGED;
            case INTERNAL -> BUG;
        };
    }
}
