package org.lossgrid.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.loss.Loss;
import org.lossgrid.output.AtomicOutput;
import org.lossgrid.output.CsvSink;
import org.lossgrid.output.NpySink;
import org.lossgrid.output.SurfacePlot;
import org.lossgrid.output.Thumbnail;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;
import org.lossgrid.surface.SurfaceEvaluator;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.backend.SurfacePlane;
import org.lossgrid.surface.SurfaceResult;
import org.lossgrid.surface.SurfaceSink;

/**
 * One surface computed into its outputs: NPY and CSV stream tile by tile, the PNG is drawn from a
 * thumbnail. Every output is committed only after the whole surface succeeded.
 */
final class SurfaceRun {
    /** Points per side of the picture: enough for smooth contours, small enough to draw at once. */
    static final int PLOT_POINTS = 600;

    Path npy;
    Path csv;
    Path png;
    String title;
    SurfaceMethod method = SurfaceMethod.AUTO;
    /** Adds paths or marks to the picture before it is written. */
    Consumer<SurfacePlot> decorate = plot -> { };

    /** Fails before any computation if an output cannot be written. */
    void checkOutputs() {
        for (Path target : new Path[] {npy, csv, png}) {
            if (target != null) {
                AtomicOutput.checkWritable(target);
            }
        }
    }

    SurfaceResult run(DeviceDataset dataset, Loss loss, Slice slice, GridSpec grid, long budget, Console console) {
        checkOutputs();
        SurfacePlane plane = slice.plane(dataset.host(), grid);
        List<SurfaceSink> sinks = new ArrayList<>();
        Thumbnail thumbnail = png == null ? null : new Thumbnail(PLOT_POINTS);
        try (NpySink npySink = npy == null ? null : new NpySink(npy);
             CsvSink csvSink = csv == null ? null : new CsvSink(csv, slice.horizontalName(), slice.verticalName());
             SurfaceTiles tiles = method.resolve(loss).tiles(dataset, loss, plane)) {
            if (npySink != null) {
                sinks.add(npySink);
            }
            if (csvSink != null) {
                sinks.add(csvSink);
            }
            if (thumbnail != null) {
                sinks.add(thumbnail);
            }
            SurfaceResult result = new SurfaceEvaluator(budget, console.progress("surface"))
                    .run(tiles, method.resolve(loss).cliName(), grid, slice, dataset.host().n(), sinks);
            if (thumbnail != null) {
                SurfacePlot plot = new SurfacePlot(thumbnail.values(), thumbnail.grid(), slice.horizontalName(),
                        slice.verticalName(), title, loss.quadratic())
                        .argmin(result.argmin().u(), result.argmin().v());
                decorate.accept(plot);
                plot.write(png);
            }
            if (npySink != null) {
                npySink.commit();
            }
            if (csvSink != null) {
                csvSink.commit();
            }
            return result;
        }
    }
}
