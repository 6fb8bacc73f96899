package org.lossgrid.surface;

/** The grid point with the lowest loss: parameter values of the two axes and the loss there. */
public record Argmin(double u, double v, double loss, int row, int column) {
}
