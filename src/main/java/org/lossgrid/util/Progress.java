package org.lossgrid.util;

/** Told how far a long computation has got. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> { };

    void update(long done, long total);
}
