package org.lossgrid.surface.fast;

import java.util.stream.IntStream;

import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.backend.SurfacePlane;

/**
 * The MSE surface in closed form. Over a plane {@code e = t - du p - dv q} the loss is a quadratic
 * with six coefficients, the centred moments {@code S_ab = mean(a b)} (computed once, in double):
 * {@code L = S_tt - 2 du S_tp - 2 dv S_tq + du^2 S_pp + 2 du dv S_pq + dv^2 S_qq}.
 *
 * <p>Evaluated as written, that sum cancels badly near the minimum. So where the quadratic is
 * strictly convex it is used in completed-square form around the slice's minimiser (du*, dv*):
 * {@code L = L* + S_pp (du - du* + (S_pq / S_pp)(dv - dv*))^2 + (det / S_pp)(dv - dv*)^2}, with
 * {@code L* = mean (t - du* p - dv* q)^2} computed directly; every term is non-negative, so nothing
 * cancels. The constants are computed in double; each grid point then costs three float operations
 * (non-negative terms keep float's relative precision), a loop C2 vectorises, so the surface is
 * bounded by writing the array.
 */
public final class MseClosedForm implements SurfaceTiles {
    private final double[] du;
    private final double[] dv;
    /** du - u*, in float: the per-point loop runs in float, which C2 vectorises. */
    private final float[] columnOffset;
    private final boolean convex;
    private final double lossAtMinimum;
    private final double uStar;
    private final double vStar;
    private final double spp;
    private final double coupling;
    private final double curvatureV;
    private final double[] raw;

    public MseClosedForm(SurfacePlane plane) {
        this.du = plane.du();
        this.dv = plane.dv();
        int n = plane.samples();
        double[] t = plane.t();
        double[] p = plane.p();
        double[] q = plane.q();
        double tt = 0;
        double tp = 0;
        double tq = 0;
        double pp = 0;
        double pq = 0;
        double qq = 0;
        for (int i = 0; i < n; i++) {
            tt += t[i] * t[i];
            tp += t[i] * p[i];
            tq += t[i] * q[i];
            pp += p[i] * p[i];
            pq += p[i] * q[i];
            qq += q[i] * q[i];
        }
        tt /= n;
        tp /= n;
        tq /= n;
        pp /= n;
        pq /= n;
        qq /= n;
        double det = pp * qq - pq * pq;
        this.convex = pp > 0 && det > 1e-12 * pp * qq;
        this.raw = new double[] {tt, tp, tq, pp, pq, qq};
        this.spp = pp;
        if (convex) {
            uStar = (tp * qq - tq * pq) / det;
            vStar = (tq * pp - tp * pq) / det;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double e = t[i] - uStar * p[i] - vStar * q[i];
                sum += e * e;
            }
            lossAtMinimum = sum / n;
            coupling = pq / pp;
            curvatureV = det / pp;
            columnOffset = new float[du.length];
            for (int c = 0; c < du.length; c++) {
                columnOffset[c] = (float) (du[c] - uStar);
            }
        } else {
            uStar = 0;
            vStar = 0;
            lossAtMinimum = 0;
            coupling = 0;
            curvatureV = 0;
            columnOffset = new float[0];
        }
    }

    @Override
    public int maxRowsPerTile() {
        return Integer.MAX_VALUE / Math.max(1, du.length);
    }

    @Override
    public long workingBytes(int rows) {
        return 0;
    }

    @Override
    public void computeRows(int row0, int rows, float[] out) {
        int columns = du.length;
        IntStream.range(0, rows).parallel().forEach(r -> {
            double v = dv[row0 + r];
            int at = r * columns;
            if (convex) {
                double dvs = v - vStar;
                float shift = (float) (coupling * dvs);
                float base = (float) (lossAtMinimum + curvatureV * dvs * dvs);
                float curvature = (float) spp;
                for (int c = 0; c < columns; c++) {
                    float d = columnOffset[c] + shift;
                    out[at + c] = base + curvature * d * d;
                }
            } else {
                for (int c = 0; c < columns; c++) {
                    double u = du[c];
                    out[at + c] = (float) (raw[0] - 2 * u * raw[1] - 2 * v * raw[2] + u * u * raw[3] + 2 * u * v * raw[4]
                            + v * v * raw[5]);
                }
            }
        });
    }

}
