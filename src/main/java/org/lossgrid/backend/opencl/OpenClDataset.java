package org.lossgrid.backend.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import java.util.List;

import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.backend.NetworkPasses;
import org.lossgrid.backend.ReductionLayout;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.backend.Uploads;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;
import org.lossgrid.model.Params;
import org.lossgrid.backend.SurfacePlane;

/**
 * A dataset resident in OpenCL buffers: y (n floats) and x (k * n floats, feature-major). Losses and
 * gradients are one launch of {@code loss_grad_batch} (or {@code loss_grad}) whose per-group
 * compensated (hi, lo) partial sums the host adds in double.
 */
final class OpenClDataset implements DeviceDataset {
    /** Work-items per group of the reductions; a power of two for the tree. */
    private static final int LOCAL = 64;
    /** At most this many groups per parameter set: enough to fill a GPU, few partials to add. */
    private static final int MAX_GROUPS = 64;

    private final OpenClBackend backend;
    private final Dataset host;
    private final OpenClBuffer y;
    private final OpenClBuffer x;
    private final int n;
    private final int k;
    private final int local;
    private final int groups;
    /** Reused by every reduction (a training run makes thousands), grown when a batch needs more. */
    private final GrowableBuffer<OpenClBuffer> params;
    private final GrowableBuffer<OpenClBuffer> partials;
    /** The network kernels' buffers, made on first use. */
    private OpenClNetwork network;

    OpenClDataset(OpenClBackend backend, Dataset host) {
        this.backend = backend;
        this.host = host;
        this.n = host.n();
        this.k = host.k();
        this.local = (int) Math.min(LOCAL, Integer.highestOneBit((int) Math.min(Integer.MAX_VALUE,
                backend.openClDevice().maxWorkGroup())));
        this.groups = Math.max(1, Math.min(MAX_GROUPS, (n + local * 8 - 1) / (local * 8)));
        try {
            List<OpenClBuffer> uploaded = Uploads.all(List.of(host.yFloat(), host.xFloatFeatureMajor()),
                    array -> OpenClBuffer.of(backend, array), OpenClBuffer::close);
            this.y = uploaded.get(0);
            this.x = uploaded.get(1);
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "uploading " + n + " samples");
        }
        this.params = OpenClBuffer.growable(backend, "parameter sets");
        this.partials = OpenClBuffer.growable(backend, "partial sums");
    }

    @Override
    public Dataset host() {
        return host;
    }

    @Override
    public LossGradient lossAndGradient(Loss loss, Params params) {
        return reduce("loss_grad", loss, new Params[] {params})[0];
    }

    @Override
    public LossGradient[] lossAndGradientBatch(Loss loss, Params[] params) {
        return reduce("loss_grad_batch", loss, params);
    }

    /** One launch over (groups * local) x sets work-items; then the partials are combined on the host. */
    private LossGradient[] reduce(String kernelName, Loss loss, Params[] sets) {
        try {
            float[] flat = ReductionLayout.packParameters(sets, k);
            float[] sums = new float[ReductionLayout.partialFloats(sets.length, groups, k)];
            OpenClBuffer params = this.params.atLeast((long) Sizeof.cl_float * flat.length);
            OpenClBuffer partials = this.partials.atLeast((long) Sizeof.cl_float * sums.length);
            params.write(flat, flat.length);
            cl_kernel kernel = backend.kernel(kernelName, loss.kernelId(), k);
            CL.clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(y.mem));
            CL.clSetKernelArg(kernel, 1, Sizeof.cl_mem, Pointer.to(x.mem));
            CL.clSetKernelArg(kernel, 2, Sizeof.cl_int, Pointer.to(new int[] {n}));
            CL.clSetKernelArg(kernel, 3, Sizeof.cl_mem, Pointer.to(params.mem));
            CL.clSetKernelArg(kernel, 4, Sizeof.cl_mem, Pointer.to(partials.mem));
            CL.clSetKernelArg(kernel, 5, 2L * Sizeof.cl_float * local, null);
            CL.clSetKernelArg(kernel, 6, Sizeof.cl_float, Pointer.to(new float[] {loss.kernelParameter()}));
            CL.clEnqueueNDRangeKernel(backend.queue(), kernel, 2, null, new long[] {(long) groups * local, sets.length},
                    new long[] {local, 1}, 0, null, null);
            partials.read(sums, sums.length);
            return ReductionLayout.combine(sums, sets.length, groups, k, n);
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "computing the loss and gradient");
        }
    }

    @Override
    public LossGradient networkLossAndGradient(Loss loss, Network network, float[] theta, int[] rows) {
        try {
            return NetworkPasses.lossAndGradient(network(), n, k, loss, network, theta, rows);
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "computing the network's loss and gradient");
        }
    }

    @Override
    public LossGradient[] networkLossAndGradientBatch(Loss loss, Network network, float[][] thetas, int[][] rows) {
        try {
            return NetworkPasses.lossAndGradientBatch(network(), n, k, loss, network, thetas, rows);
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "computing the networks' losses and gradients");
        }
    }

    @Override
    public double[] networkLosses(Loss loss, Network network, float[][] thetas) {
        try {
            return NetworkPasses.losses(network(), n, k, loss, network, thetas);
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "computing the network's losses");
        }
    }

    private OpenClNetwork network() {
        if (network == null) {
            network = new OpenClNetwork(backend, y, x, n, k);
        }
        return network;
    }

    @Override
    public SurfaceTiles surface(Loss loss, SurfacePlane plane) {
        try {
            return new OpenClSurfaceTiles(backend, loss, plane);
        } catch (CLException e) {
            throw OpenClErrors.translate(e, "uploading the surface plane");
        }
    }

    @Override
    public void close() {
        if (network != null) {
            network.close();
        }
        params.close();
        partials.close();
        x.close();
        y.close();
    }
}
