package org.lossgrid.surface;

import static org.lossgrid.error.LossgridException.param;

import java.util.Locale;

import org.lossgrid.backend.SurfacePlane;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.surface.fast.MaeSorted;
import org.lossgrid.surface.fast.MseClosedForm;

/**
 * How a surface is computed: {@code brute} evaluates every grid point over every sample on the
 * backend (the reference, and the GPU showcase); {@code exact-fast} uses the closed form (MSE) or
 * sorting (MAE) on the CPU; {@code auto} takes exact-fast where the loss has one.
 */
public enum SurfaceMethod {
    AUTO, BRUTE, EXACT_FAST;

    public static SurfaceMethod parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "brute" -> BRUTE;
            case "exact-fast" -> EXACT_FAST;
            default -> throw LossgridException.badInput(param("method") + ": unknown method '" + name
                    + "'; choose auto, brute or exact-fast");
        };
    }

    /** The method that runs for this loss: auto becomes exact-fast where the loss has one (MAE, MSE), else brute. */
    public SurfaceMethod resolve(Loss loss) {
        boolean hasFast = loss.hasExactFast();
        if (this == EXACT_FAST && !hasFast) {
            throw LossgridException.badInput(param("method") + " exact-fast: loss " + loss.name() + " has no exact-fast method (it applies to mae and mse); use brute");
        }
        return this == AUTO ? (hasFast ? EXACT_FAST : BRUTE) : this;
    }

    public String cliName() {
        return this == EXACT_FAST ? "exact-fast" : name().toLowerCase(Locale.ROOT);
    }

    /** The tiles of a resolved method: brute force on the dataset's backend, exact-fast on the host. */
    public SurfaceTiles tiles(DeviceDataset dataset, Loss loss, SurfacePlane plane) {
        return switch (this) {
            case BRUTE -> dataset.surface(loss, plane);
            case EXACT_FAST -> switch (loss.kind()) {
                case MSE -> new MseClosedForm(plane);
                case MAE -> new MaeSorted(plane);
                case HUBER -> throw new IllegalStateException("resolve() admits exact-fast only for mae and mse");
            };
            case AUTO -> resolve(loss).tiles(dataset, loss, plane);
        };
    }
}
