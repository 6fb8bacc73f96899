package org.lossgrid.surface;

import static org.lossgrid.error.LossgridException.param;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.lossgrid.error.LossgridException;
import org.lossgrid.model.Network;

/**
 * The two directions d1, d2 of a loss landscape L(theta* + alpha d1 + beta d2) in a network's flat
 * parameter space (the order of {@link Network}), as in Li et al. 2018, "Visualizing the Loss Landscape
 * of Neural Nets": Gaussian ({@code random}), Gaussian normalised per neuron ({@code filter}), unit vectors
 * along two named parameters ({@code params:NAME1,NAME2}), or the first two principal directions of a
 * training trajectory ({@code pca}). {@code label} is how figures and summaries name them;
 * {@code explained} holds, for pca, the fraction of the trajectory's variance along each direction.
 */
public record Directions(String label, double[] first, double[] second, double[] explained) {
    public Directions {
        if (first.length != second.length) {
            throw new IllegalArgumentException(first.length + " and " + second.length + " parameters");
        }
        first = first.clone();
        second = second.clone();
        explained = explained == null ? null : explained.clone();
    }

    @Override
    public double[] first() {
        return first.clone();
    }

    @Override
    public double[] second() {
        return second.clone();
    }

    @Override
    public double[] explained() {
        return explained == null ? null : explained.clone();
    }

    /** The kinds a user names with {@code --directions}. */
    public enum Kind {
        RANDOM, FILTER, PCA, PARAMS;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A parsed {@code --directions} value: its kind and, for {@code params:}, the two parameter names. */
    public record Choice(Kind kind, List<String> names) {
        public Choice {
            names = List.copyOf(names);
        }

        /** random, filter, pca or params:NAME1,NAME2; anything else is a BAD_INPUT naming {@code directions}. */
        public static Choice parse(String text) {
            String value = text == null ? "" : text.trim();
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.startsWith("params:")) {
                List<String> names = outsideBrackets(value.substring("params:".length()));
                if (names.size() != 2 || names.get(0).isEmpty() || names.get(1).isEmpty()) {
                    throw LossgridException.badInput(param("directions") + ": params: takes two parameter names, "
                            + "such as params:W1[0,0],b2[0]; got '" + text + "'");
                }
                return new Choice(Kind.PARAMS, names);
            }
            for (Kind kind : Kind.values()) {
                if (kind != Kind.PARAMS && kind.cliName().equals(lower)) {
                    return new Choice(kind, List.of());
                }
            }
            throw LossgridException.badInput(param("directions") + ": unknown directions '" + text + "'; choose random, "
                    + "filter, pca or params:NAME1,NAME2 (such as params:W1[0,0],b2[0])");
        }

        @Override
        public String toString() {
            return kind == Kind.PARAMS ? "params:" + String.join(",", names) : kind.cliName();
        }
    }

    /** The comma-separated names of {@code text}, whose own commas stand inside brackets: W1[0,0],b2[0] */
    private static List<String> outsideBrackets(String text) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == ',' && depth == 0) {
                names.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        names.add(text.substring(start).trim());
        return names;
    }

    /** d1, d2 with every component drawn from N(0, 1), seeded; no normalisation */
    public static Directions random(Network network, long seed) {
        Random random = new Random(seed);
        return new Directions("random", gaussian(network, random), gaussian(network, random), null);
    }

    /**
     * Random directions normalised per neuron: for each row i of each W_l, the block (W_l[i,:], b_l[i]) of
     * d is scaled to ||(W_l[i,:], b_l[i]) of theta*||, so every neuron moves in proportion to its own size.
     */
    public static Directions filter(Network network, double[] centre, long seed) {
        Random random = new Random(seed);
        double[] first = gaussian(network, random);
        double[] second = gaussian(network, random);
        perNeuron(network, centre, first);
        perNeuron(network, centre, second);
        return new Directions("filter", first, second, null);
    }

    /**
     * Unit vectors along two named parameters ({@code W1[0,0]}, {@code b2[0]}, ...), so that alpha and beta are
     * offsets in those parameters' own units; an unknown or repeated name is a BAD_INPUT naming {@code directions}.
     */
    public static Directions params(Network network, String firstName, String secondName) {
        int a = network.index(firstName, "directions");
        int b = network.index(secondName, "directions");
        if (a == b) {
            throw LossgridException.badInput(param("directions") + ": " + firstName + " and " + secondName
                    + " are the same parameter; name two different ones");
        }
        double[] first = new double[network.parameterCount()];
        double[] second = new double[network.parameterCount()];
        first[a] = 1;
        second[b] = 1;
        return new Directions("params:" + network.name(a) + "," + network.name(b), first, second, null);
    }

    /**
     * The first two principal directions (unit vectors) of the centred rows theta_t - theta* of a training
     * trajectory, from the eigenvectors u of the Gram matrix C C^T: d = C^T u / ||C^T u||.
     */
    public static Directions pca(double[] centre, List<double[]> trajectory) {
        int t = trajectory.size();
        if (t < 3) {
            throw LossgridException.badInput(param("directions") + ": pca needs a training trajectory of at least 3 "
                    + "points, got " + t + "; train for more epochs");
        }
        int p = centre.length;
        double[][] rows = new double[t][p];
        double[] mean = new double[p];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < p; j++) {
                rows[i][j] = trajectory.get(i)[j] - centre[j];
                mean[j] += rows[i][j] / t;
            }
        }
        for (double[] row : rows) {
            for (int j = 0; j < p; j++) {
                row[j] -= mean[j];
            }
        }
        double[][] gram = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int k = 0; k <= i; k++) {
                gram[i][k] = gram[k][i] = dot(rows[i], rows[k]);
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(gram);
        double total = 0;
        for (double value : eigen.values()) {
            total += Math.max(0, value);
        }
        double[][] directions = new double[2][p];
        double[] explained = new double[2];
        for (int d = 0; d < 2; d++) {
            double[] u = eigen.vector(d);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < p; j++) {
                    directions[d][j] += rows[i][j] * u[i];
                }
            }
            double norm = Math.sqrt(dot(directions[d], directions[d]));
            if (!(norm > 0)) {
                throw LossgridException.badInput(param("directions") + ": the training trajectory spans fewer than 2 "
                        + "dimensions, so pca has no second direction; train for more epochs or use random");
            }
            for (int j = 0; j < p; j++) {
                directions[d][j] /= norm;
            }
            explained[d] = total > 0 ? Math.max(0, eigen.values()[d]) / total : 0;
        }
        return new Directions("pca", directions[0], directions[1], explained);
    }

    /** (alpha, beta) = ((theta - theta*) . d1, (theta - theta*) . d2): a point's coordinates on orthonormal directions */
    public double[] project(double[] centre, double[] theta) {
        double alpha = 0;
        double beta = 0;
        for (int j = 0; j < centre.length; j++) {
            double offset = theta[j] - centre[j];
            alpha += offset * first[j];
            beta += offset * second[j];
        }
        return new double[] {alpha, beta};
    }

    /** theta = theta* + alpha d1 + beta d2, rounded to float32 as a device receives it; alpha = beta = 0 gives float(theta*) */
    public float[] point(double[] centre, double alpha, double beta, float[] out) {
        return Network.planePoint(centre, first, second, alpha, beta, out);
    }

    private static double[] gaussian(Network network, Random random) {
        double[] d = new double[network.parameterCount()];
        for (int j = 0; j < d.length; j++) {
            d[j] = random.nextGaussian();
        }
        return d;
    }

    /** d[block] <- d[block] * ||centre[block]|| / ||d[block]|| for each neuron's block (W_l[i,:], b_l[i]) */
    private static void perNeuron(Network network, double[] centre, double[] d) {
        for (int l = 1; l <= network.layers(); l++) {
            int in = network.size(l - 1);
            for (int i = 0; i < network.size(l); i++) {
                int row = network.weightOffset(l) + i * in;
                int bias = network.biasOffset(l) + i;
                double target = centre[bias] * centre[bias];
                double own = d[bias] * d[bias];
                for (int j = row; j < row + in; j++) {
                    target += centre[j] * centre[j];
                    own += d[j] * d[j];
                }
                double factor = own > 0 ? Math.sqrt(target / own) : 0;
                for (int j = row; j < row + in; j++) {
                    d[j] *= factor;
                }
                d[bias] *= factor;
            }
        }
    }

    /** a . b */
    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }
}
