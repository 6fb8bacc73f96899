package org.lossgrid.surface;

/**
 * What a surface computation found and how long it took. {@code computeSeconds} covers the tiles'
 * computation only; {@code seconds} also the sinks (file writing). Evaluations are grid points times
 * samples, so {@link #evalsPerSecond()} is comparable across grid sizes and methods. {@code nonFinite}
 * counts the grid points whose loss overflowed float32 (or is NaN); the argmin ignores them.
 */
public record SurfaceResult(GridSpec grid, Slice slice, String method, Argmin argmin, long samples,
        double seconds, double computeSeconds, long nonFinite) {

    /** grid points * samples / computeSeconds */
    public double evalsPerSecond() {
        return grid.points() * (double) samples / computeSeconds;
    }
}
