package org.lossgrid.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.lossgrid.output.SurfacePlot;

/**
 * The files one surface is written to: NPY and CSV stream tile by tile, the PNG is drawn from a
 * thumbnail of at most {@value #PLOT_POINTS} points per side. Any of them may be null. Nothing is
 * committed until the whole surface has been computed.
 */
public record SurfaceFiles(Path npy, Path csv, Path png, String title, Consumer<SurfacePlot> decorate) {
    /** Points per side of the picture: enough for smooth contours, small enough to draw at once. */
    public static final int PLOT_POINTS = 600;

    /** No files. */
    public static final SurfaceFiles NONE = new SurfaceFiles(null, null, null, null, plot -> { });

    /** The given files, with a title for the PNG. */
    public static SurfaceFiles of(Path npy, Path csv, Path png, String title) {
        return new SurfaceFiles(npy, csv, png, title, plot -> { });
    }

    /** The same files, with marks or paths added to the picture before it is written. */
    public SurfaceFiles decorated(Consumer<SurfacePlot> decoration) {
        return new SurfaceFiles(npy, csv, png, title, decoration);
    }

    /** The paths that are set, in the order npy, csv, png. */
    public List<Path> paths() {
        List<Path> paths = new ArrayList<>();
        for (Path path : new Path[] {npy, csv, png}) {
            if (path != null) {
                paths.add(path);
            }
        }
        return paths;
    }
}
