package org.lossgrid.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.lossgrid.output.DescentAnimation;
import org.lossgrid.output.FigureText;
import org.lossgrid.output.SurfacePlot;

/**
 * The files one surface is written to: NPY and CSV stream tile by tile; the PNG, and the GIF of a
 * descent over the surface, are drawn from a thumbnail of at most {@value #PLOT_POINTS} points per side,
 * in the language of {@code text}. Any of them may be null. Nothing is committed until the whole surface
 * has been computed.
 */
public record SurfaceFiles(Path npy, Path csv, Path png, Path gif, String title, FigureText text,
        Consumer<SurfacePlot> decorate, List<DescentAnimation.Point> animation) {
    /** Points per side of the picture: enough for smooth contours, small enough to draw at once. */
    public static final int PLOT_POINTS = 600;

    public SurfaceFiles {
        animation = List.copyOf(animation);
    }

    /** The given files, with a title for the PNG, in English. */
    public static SurfaceFiles of(Path npy, Path csv, Path png, String title) {
        return new SurfaceFiles(npy, csv, png, null, title, FigureText.english(), plot -> { }, List.of());
    }

    /** The same files, with marks or paths added to the picture before it is written. */
    public SurfaceFiles decorated(Consumer<SurfacePlot> decoration) {
        return new SurfaceFiles(npy, csv, png, gif, title, text, decoration, animation);
    }

    /** The same files, with labels and notes in {@code language}'s words. */
    public SurfaceFiles in(FigureText language) {
        return new SurfaceFiles(npy, csv, png, gif, title, language, decorate, animation);
    }

    /** The same files, and an animated GIF of {@code path} over the surface. */
    public SurfaceFiles animated(Path file, List<DescentAnimation.Point> path) {
        return new SurfaceFiles(npy, csv, png, file, title, text, decorate, path);
    }

    /** The paths that are set, in the order npy, csv, png, gif. */
    public List<Path> paths() {
        List<Path> paths = new ArrayList<>();
        for (Path path : new Path[] {npy, csv, png, gif}) {
            if (path != null) {
                paths.add(path);
            }
        }
        return paths;
    }
}
