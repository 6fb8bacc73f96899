package org.lossgrid.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.data.Split;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.Network;
import org.lossgrid.model.NetworkModel;
import org.lossgrid.reference.NetworkReference;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.Directions;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.train.Scaling;

/**
 * A loss landscape on one backend against the double-precision reference: every grid point of a small
 * grid is the loss, in original units, of the model at theta* + alpha d1 + beta d2 (rounded to float32
 * as the device receives it), and the centre is the loss of the model itself.
 */
abstract class LandscapeContractTest {
    /** The backend's name for {@link Lossgrid#open}; a subclass skips where it is unavailable. */
    protected abstract String backend();

    /** Relative agreement with the reference: the precision contract of the backend's arithmetic. */
    protected abstract double tolerance();

    private static final Split DATA = Data.sample(2);

    @TempDir
    Path folder;

    /** A sigmoid:3x2 network on 2 lags, scaled as training scales it, with seeded parameters of some size. */
    private static NetworkModel model(String loss) {
        Network network = new Network(ModelSpec.parse("sigmoid:3x2"), 2);
        double[] theta = network.initial(21);
        Random random = new Random(4);
        for (int j = 0; j < theta.length; j++) {
            theta[j] += 0.3 * random.nextGaussian();
        }
        return new NetworkModel(network, loss, Scaling.standardize(DATA.train(), true).scale(), theta);
    }

    private LandscapeResult landscape(Lossgrid lg, Landscape request, GridSpec grid) {
        LandscapeResult result = lg.landscape(request);
        assertEquals(grid, result.surface().grid());
        return result;
    }

    @Test
    void everyGridPointIsTheReferenceLossAtThatPoint() {
        for (Loss loss : new Loss[] {Loss.MAE, Loss.MSE}) {
            NetworkModel model = model(loss.name());
            Axis alpha = new Axis(-0.8, 0.6, 5);
            Axis beta = new Axis(-0.5, 0.5, 3);
            Path npy = folder.resolve(loss.name() + ".npy");
            try (Lossgrid lg = Lossgrid.open(backend(), DATA)) {
                LandscapeResult result = landscape(lg, Landscape.of(model, loss)
                        .directions(Directions.Choice.parse("filter")).range(alpha).beta(beta).seed(3)
                        .files(SurfaceFiles.of(npy, null, null, "")).build(), new GridSpec(alpha, beta));
                Directions d = result.directions();
                float[] values = Npy.read(npy, 3, 5);
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 5; c++) {
                        float[] point = d.point(model.theta(), alpha.value(c), beta.value(r),
                                new float[model.network().parameterCount()]);
                        double expected = NetworkReference.loss(loss, DATA.train(), new NetworkModel(model.network(),
                                loss.name(), model.scale(), widen(point)));
                        assertEquals(expected, values[r * 5 + c], tolerance() * expected, loss + " at row " + r
                                + ", column " + c);
                    }
                }
                float lowest = Float.POSITIVE_INFINITY;
                for (float v : values) {
                    lowest = Math.min(lowest, v);
                }
                assertEquals(lowest, result.surface().argmin().loss(), tolerance() * lowest);
            }
        }
    }

    @Test
    void tilesOfAnySizeGiveTheSameLandscape() throws java.io.IOException {
        NetworkModel model = model("mae");
        Axis alpha = new Axis(-1, 1, 9);
        Axis beta = new Axis(-1, 1, 7);
        Path whole = folder.resolve("whole.npy");
        Path tiled = folder.resolve("tiled.npy");
        try (Lossgrid lg = Lossgrid.open(backend(), DATA)) {
            Landscape.Builder request = Landscape.of(model, Loss.MAE).directions(Directions.Choice.parse("random"))
                    .range(alpha).beta(beta);
            lg.landscape(request.files(SurfaceFiles.of(whole, null, null, "")).build());
            // the sinks' 83.2 KiB (NPY buffers, local minima) and two rows of 9 parameter vectors: tiles of 2 rows
            int[] tiles = {0};
            lg.landscape(request.files(SurfaceFiles.of(tiled, null, null, "")).memoryBudget(87_600)
                    .progress((done, total) -> tiles[0]++).build());
            assertEquals(4, tiles[0], "tiles of rows 0-1, 2-3, 4-5 and 6");
        }
        assertEquals(java.util.Arrays.toString(Npy.read(whole, 7, 9)), java.util.Arrays.toString(Npy.read(tiled, 7, 9)));
    }

    @Test
    void theCentreIsTheLossOfTheModelAtThetaStar() {
        NetworkModel model = model("mae");
        double expected = NetworkReference.loss(Loss.MAE, DATA.train(), model);
        Axis axis = new Axis(-1, 1, 3);
        try (Lossgrid lg = Lossgrid.open(backend(), DATA)) {
            for (String kind : new String[] {"random", "filter", "params:W1[0,1],b3[0]"}) {
                LandscapeResult result = landscape(lg, Landscape.of(model, Loss.MAE)
                        .directions(Directions.Choice.parse(kind)).range(axis).build(), new GridSpec(axis, axis));
                assertEquals(expected, result.centreLoss(), tolerance() * expected, kind);
            }
        }
    }

    @Test
    void paramsDirectionsMoveTheNamedParametersByAlphaAndBeta() {
        NetworkModel model = model("mse");
        Axis alpha = new Axis(-2, 2, 3);
        try (Lossgrid lg = Lossgrid.open(backend(), DATA)) {
            LandscapeResult result = lg.landscape(Landscape.of(model, Loss.MSE)
                    .directions(Directions.Choice.parse("params:w2[1,2],B1[0]")).range(alpha).oneDimensional().build());
            assertEquals(1, result.surface().grid().rows());
            double[] lowest = model.theta();
            int w = model.network().index("W2[1,2]", "directions");
            lowest[w] += result.surface().argmin().u();
            double expected = NetworkReference.loss(Loss.MSE, DATA.train(), new NetworkModel(model.network(), "mse",
                    model.scale(), lowest));
            assertEquals(expected, result.surface().argmin().loss(), tolerance() * expected);
            assertEquals(0, result.surface().argmin().v());
            assertTrue(result.directions().label().equals("params:W2[1,2],b1[0]"), result.directions().label());
        }
    }

    /** The float32 values of an NPY file of shape (rows, columns), checking its header. */
    static final class Npy {
        static float[] read(Path file, int rows, int columns) {
            try {
                byte[] bytes = java.nio.file.Files.readAllBytes(file);
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                int headerLength = buffer.getShort(8) & 0xffff;
                String header = new String(bytes, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
                assertTrue(header.contains("'<f4'") && header.contains("(" + rows + ", " + columns + ")"), header);
                float[] values = new float[rows * columns];
                buffer.position(10 + headerLength);
                buffer.asFloatBuffer().get(values);
                return values;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static double[] widen(float[] theta) {
        double[] out = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            out[j] = theta[j];
        }
        return out;
    }
}
