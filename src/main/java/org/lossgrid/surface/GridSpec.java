package org.lossgrid.surface;

/**
 * A grid over a 2-D slice of parameter space: {@code horizontal} is the axis of parameter
 * {@code Slice.horizontal()} (w1 by default), {@code vertical} that of {@code Slice.vertical()} (b).
 * Values are stored (nb, nw) in C order: row i is vertical value i, column j horizontal value j.
 */
public record GridSpec(Axis horizontal, Axis vertical) {
    /** Grid points nb * nw. */
    public long points() {
        return (long) horizontal.n() * vertical.n();
    }

    public int columns() {
        return horizontal.n();
    }

    public int rows() {
        return vertical.n();
    }
}
