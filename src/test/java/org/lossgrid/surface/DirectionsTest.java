package org.lossgrid.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lossgrid.error.LossgridException;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.model.Network;

/** The directions of a loss landscape: per-neuron normalisation, named parameters, principal directions. */
class DirectionsTest {
    private static final Network NETWORK = new Network(ModelSpec.parse("relu:4x2"), 3);

    private static double[] centre() {
        double[] theta = NETWORK.initial(11);
        Random random = new Random(3);
        for (int j = 0; j < theta.length; j++) {
            theta[j] += 0.1 * random.nextGaussian();
        }
        return theta;
    }

    @Test
    void filterScalesEachNeuronsRowWithItsBiasToThatRowsNormInThetaStar() {
        double[] centre = centre();
        Directions d = Directions.filter(NETWORK, centre, 5);
        for (double[] direction : List.of(d.first(), d.second())) {
            for (int l = 1; l <= NETWORK.layers(); l++) {
                int in = NETWORK.size(l - 1);
                for (int i = 0; i < NETWORK.size(l); i++) {
                    double expected = rowNorm(centre, l, i, in);
                    assertEquals(expected, rowNorm(direction, l, i, in), 1e-12 * expected, "layer " + l + " row " + i);
                }
            }
        }
        assertEquals("filter", d.label());
    }

    private static double rowNorm(double[] v, int l, int i, int in) {
        double sum = v[NETWORK.biasOffset(l) + i] * v[NETWORK.biasOffset(l) + i];
        for (int j = 0; j < in; j++) {
            double w = v[NETWORK.weightOffset(l) + i * in + j];
            sum += w * w;
        }
        return Math.sqrt(sum);
    }

    @Test
    void randomDirectionsAreSeededAndNotNormalised() {
        Directions a = Directions.random(NETWORK, 9);
        Directions b = Directions.random(NETWORK, 9);
        assertEquals(List.of(toList(a.first()), toList(a.second())), List.of(toList(b.first()), toList(b.second())));
        double norm = Math.sqrt(dot(a.first(), a.first()));
        assertEquals(Math.sqrt(NETWORK.parameterCount()), norm, 0.5 * Math.sqrt(NETWORK.parameterCount()));
    }

    @Test
    void paramsDirectionsAreUnitVectorsAtTheNamedIndices() {
        Directions d = Directions.params(NETWORK, "W1[2,1]", "b3[0]");
        int first = NETWORK.weightOffset(1) + 2 * 3 + 1;
        int second = NETWORK.biasOffset(3);
        for (int j = 0; j < NETWORK.parameterCount(); j++) {
            assertEquals(j == first ? 1.0 : 0.0, d.first()[j], "d1[" + j + "]");
            assertEquals(j == second ? 1.0 : 0.0, d.second()[j], "d2[" + j + "]");
        }
        assertEquals("params:W1[2,1],b3[0]", d.label());
        float[] point = d.point(new double[NETWORK.parameterCount()], 0.5, -2, new float[NETWORK.parameterCount()]);
        assertEquals(0.5f, point[first]);
        assertEquals(-2f, point[second]);
    }

    @Test
    void unknownOrRepeatedParameterNamesAreBadInputNamingDirections() {
        LossgridException unknown = assertThrows(LossgridException.class, () -> Directions.params(NETWORK, "W1[9,0]", "b1[0]"));
        assertEquals(LossgridException.Kind.BAD_INPUT, unknown.kind());
        assertTrue(unknown.render(p -> "--" + p).contains("--directions"), unknown.getMessage());
        LossgridException repeated = assertThrows(LossgridException.class, () -> Directions.params(NETWORK, "b1[0]", "B1[0]"));
        assertTrue(repeated.getMessage().contains("same parameter"), repeated.getMessage());
    }

    @Test
    void choicesParseAndRefuseUnknownKinds() {
        assertEquals(Directions.Kind.FILTER, Directions.Choice.parse(" Filter ").kind());
        Directions.Choice params = Directions.Choice.parse("params:W1[0,0],b2[0]");
        assertEquals(List.of("W1[0,0]", "b2[0]"), params.names());
        assertEquals("params:W1[0,0],b2[0]", params.toString());
        for (String bad : List.of("sideways", "params:", "params:W1[0,0]", "params:a,b,c", "")) {
            LossgridException e = assertThrows(LossgridException.class, () -> Directions.Choice.parse(bad), bad);
            assertEquals(LossgridException.Kind.BAD_INPUT, e.kind());
        }
    }

    @Test
    void pcaFindsThePlaneOfATrajectoryAndProjectsOntoIt() {
        int p = NETWORK.parameterCount();
        double[] centre = centre();
        Random random = new Random(17);
        double[] u = unit(gaussian(random, p));
        double[] v = gaussian(random, p);
        double along = dot(u, v);
        for (int j = 0; j < p; j++) {
            v[j] -= along * u[j];
        }
        v = unit(v);
        List<double[]> trajectory = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            double a = 3 * Math.cos(t * 0.2) * (30 - t) / 30.0;
            double b = 0.8 * Math.sin(t * 0.2) * (30 - t) / 30.0;
            double[] theta = centre.clone();
            for (int j = 0; j < p; j++) {
                theta[j] += a * u[j] + b * v[j];
            }
            trajectory.add(theta);
        }
        Directions d = Directions.pca(centre, trajectory);
        for (double[] direction : List.of(d.first(), d.second())) {
            double inPlane = dot(direction, u) * dot(direction, u) + dot(direction, v) * dot(direction, v);
            assertEquals(1, inPlane, 1e-9, "each direction lies in the trajectory's plane");
            assertEquals(1, dot(direction, direction), 1e-12);
        }
        assertEquals(0, dot(d.first(), d.second()), 1e-12);
        assertTrue(d.explained()[0] > d.explained()[1]);
        assertEquals(1, d.explained()[0] + d.explained()[1], 1e-9, "a plane holds all the variance");
        double[] start = d.project(centre, trajectory.get(0));
        assertEquals(3, Math.hypot(start[0], start[1]), 1e-9, "the start, 3 u from theta*, keeps its distance");
        double[] end = d.project(centre, centre);
        assertEquals(0, Math.hypot(end[0], end[1]));
    }

    @Test
    void pcaNeedsATrajectory() {
        LossgridException e = assertThrows(LossgridException.class, () -> Directions.pca(centre(), List.of(centre())));
        assertEquals(LossgridException.Kind.BAD_INPUT, e.kind());
    }

    @Test
    void jacobiDiagonalisesASymmetricMatrix() {
        double[][] a = {{4, 1, 2}, {1, 3, 0.5}, {2, 0.5, 5}};
        SymmetricEigen eigen = SymmetricEigen.of(a);
        for (int d = 0; d < 3; d++) {
            double[] x = eigen.vector(d);
            for (int i = 0; i < 3; i++) {
                double ax = a[i][0] * x[0] + a[i][1] * x[1] + a[i][2] * x[2];
                assertEquals(eigen.values()[d] * x[i], ax, 1e-12);
            }
            assertEquals(1, dot(x, x), 1e-12);
        }
        assertTrue(eigen.values()[0] >= eigen.values()[1] && eigen.values()[1] >= eigen.values()[2]);
        assertEquals(12, eigen.values()[0] + eigen.values()[1] + eigen.values()[2], 1e-12, "the trace");
    }

    private static double[] gaussian(Random random, int n) {
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = random.nextGaussian();
        }
        return x;
    }

    private static double[] unit(double[] x) {
        double norm = Math.sqrt(dot(x, x));
        double[] u = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            u[j] = x[j] / norm;
        }
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }

    private static List<Double> toList(double[] x) {
        List<Double> list = new ArrayList<>();
        for (double v : x) {
            list.add(v);
        }
        return list;
    }
}
