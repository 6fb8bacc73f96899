package org.lossgrid.backend;

import org.lossgrid.model.Params;

/**
 * The host side of the device reductions (OpenCL and CUDA kernels agree on it): parameters go in as
 * float (hi, lo) pairs, and each work-group or block returns compensated (hi, lo) partial sums of
 * [sum term(e), sum slope(e), sum slope(e) x_1..x_k], which the host adds in double.
 */
public final class ReductionLayout {
    private ReductionLayout() {
    }

    /** flat[2 * (s * (k + 1) + m) + {0, 1}] = (hi, lo) with hi + lo = params[s].flat()[m] */
    public static float[] packParameters(Params[] sets, int k) {
        float[] flat = new float[2 * sets.length * (k + 1)];
        for (int s = 0; s < sets.length; s++) {
            double[] p = sets[s].flat();
            for (int m = 0; m <= k; m++) {
                float hi = (float) p[m];
                flat[2 * (s * (k + 1) + m)] = hi;
                flat[2 * (s * (k + 1) + m) + 1] = (float) (p[m] - hi);
            }
        }
        return flat;
    }

    /** Floats of partial sums for {@code sets} parameter sets over {@code groups} groups. */
    public static int partialFloats(int sets, int groups, int k) {
        return 2 * sets * groups * (k + 2);
    }

    /** L = sum_g term / n and grad = -sum_g [slope, slope x_j] / n, from sums[2 * ((s * groups + g) * (k + 2) + m) + {hi, lo}] */
    public static LossGradient[] combine(float[] sums, int sets, int groups, int k, int n) {
        int stride = k + 2;
        LossGradient[] results = new LossGradient[sets];
        for (int s = 0; s < sets; s++) {
            double[] total = new double[stride];
            for (int g = 0; g < groups; g++) {
                for (int m = 0; m < stride; m++) {
                    int at = 2 * ((s * groups + g) * stride + m);
                    total[m] += (double) sums[at] + sums[at + 1];
                }
            }
            double[] gradient = new double[k + 1];
            for (int m = 0; m <= k; m++) {
                gradient[m] = -total[m + 1] / n;
            }
            results[s] = new LossGradient(total[0] / n, gradient);
        }
        return results;
    }

    /** sum_g (hi_g + lo_g) in double, over {@code count} (hi, lo) pairs from pair {@code first} of {@code pairs} */
    public static double sumPairs(float[] pairs, int first, int count) {
        double sum = 0;
        for (int g = first; g < first + count; g++) {
            sum += (double) pairs[2 * g] + pairs[2 * g + 1];
        }
        return sum;
    }

    /** into[p] += hi + lo of pair {@code first + p} of {@code pairs}, in double, for every p of {@code into} */
    public static void addPairs(float[] pairs, int first, double[] into) {
        for (int p = 0; p < into.length; p++) {
            into[p] += (double) pairs[2 * (first + p)] + pairs[2 * (first + p) + 1];
        }
    }
}
