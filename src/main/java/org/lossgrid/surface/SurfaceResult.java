package org.lossgrid.surface;

/**
 * What a surface computation found and how long it took. {@code computeSeconds} covers the tiles'
 * computation only; {@code seconds} also the sinks (file writing). Evaluations are grid points times
 * samples, so {@link #evalsPerSecond()} is comparable across grid sizes and methods.
 */
public record SurfaceResult(GridSpec grid, Slice slice, String method, Argmin argmin, long samples,
        double seconds, double computeSeconds) {

    /** grid points * samples / computeSeconds */
    public double evalsPerSecond() {
        return grid.points() * (double) samples / computeSeconds;
    }
}
