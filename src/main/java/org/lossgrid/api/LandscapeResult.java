package org.lossgrid.api;

import java.util.List;

import org.lossgrid.model.NetworkModel;
import org.lossgrid.surface.Directions;
import org.lossgrid.surface.LocalMinima;
import org.lossgrid.surface.SurfaceResult;

/**
 * A computed loss landscape: the model at its centre, the directions, the grid's argmin and timings
 * ({@code surface}; it has no slice), the loss at theta* computed as the grid computes it, the number of
 * local minima and the lowest {@value Landscape#MINIMA_LISTED} of them, and the training trajectory
 * projected onto (alpha, beta) (empty unless the landscape had one).
 */
public record LandscapeResult(NetworkModel model, Directions directions, SurfaceResult surface, double centreLoss,
        long minimaCount, List<LocalMinima.Minimum> minima, List<double[]> trajectory) {
    public LandscapeResult {
        minima = List.copyOf(minima);
        trajectory = List.copyOf(trajectory);
    }
}
