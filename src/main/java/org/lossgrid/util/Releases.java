package org.lossgrid.util;

import java.util.List;

/**
 * Releasing several resources where any release may fail (a device that has failed refuses every
 * call): each action still runs, and the first failure is rethrown with the later ones suppressed, so
 * that one broken handle never leaks the others.
 */
public final class Releases {
    private Releases() {
    }

    /** Runs every action in order; throws the first failure, the others added as suppressed. */
    public static void all(List<Runnable> actions) {
        RuntimeException first = null;
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
