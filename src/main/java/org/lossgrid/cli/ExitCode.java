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

    /** The kind's name in JSON errors: {@code bad_input}, {@code unavailable}, ... ({@code bug} for 1). */
    public String kind() {
        return switch (this) {
            case OK -> "ok";
            case BUG -> "bug";
            case BAD_INPUT -> "bad_input";
            case BACKEND_UNAVAILABLE -> "unavailable";
            case RESOURCES -> "resources";
            case DIVERGED -> "diverged";
        };
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
