package org.lossgrid.backend.cuda;

import static org.lossgrid.error.LossgridException.param;

import java.util.Arrays;
import java.util.List;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.LossGradient;
import org.lossgrid.backend.NetworkPasses;
import org.lossgrid.backend.ReductionLayout;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.backend.Uploads;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;
import org.lossgrid.model.Params;
import org.lossgrid.util.Releases;
import org.lossgrid.backend.SurfacePlane;

/**
 * A dataset resident in GPU memory: y (n floats) and x (k * n, feature-major). Losses and gradients are
 * one launch of {@code loss_grad}, or of {@code loss_grad_batch} per at most gridDim.y (65535) parameter
 * sets; the per-block compensated partial sums are added on the host in double, as on OpenCL.
 */
final class CudaDataset implements DeviceDataset {
    private static final int MAX_THREADS = 256;
    private static final int MAX_BLOCKS = 128;
    private static final int WARP = 32;

    private final CudaBackend backend;
    private final Dataset host;
    private final CUdeviceptr y;
    private final CUdeviceptr x;
    private final int n;
    private final int k;
    private final int threads;
    private final int blocks;
    /** Reused by every reduction (a training run makes thousands), grown when a batch needs more. */
    private final GrowableBuffer<CUdeviceptr> params;
    private final GrowableBuffer<CUdeviceptr> partials;
    /** The network kernels' buffers, made on first use. */
    private CudaNetwork network;

    CudaDataset(CudaBackend backend, Dataset host) {
        if (host.k() > CudaKernels.MAX_FEATURES) {
            throw LossgridException.badInput("the CUDA kernels take at most " + CudaKernels.MAX_FEATURES
                    + " features, this dataset has " + host.k() + "; use " + param("backend") + " opencl or cpu");
        }
        this.backend = backend;
        this.host = host;
        this.params = backend.growable("parameter sets");
        this.partials = backend.growable("partial sums");
        this.n = host.n();
        this.k = host.k();
        // a block of whole warps with about four samples per thread, so that a small dataset keeps few threads idle
        this.threads = Math.min(MAX_THREADS, Math.max(WARP, (n + 4 * WARP - 1) / (4 * WARP) * WARP));
        this.blocks = Math.max(1, Math.min(MAX_BLOCKS, (n + threads * 4 - 1) / (threads * 4)));
        try {
            backend.makeCurrent();
            List<CUdeviceptr> uploaded = Uploads.all(List.of(host.yFloat(), host.xFloatFeatureMajor()),
                    array -> backend.upload(array, "samples"), CudaDataset::free);
            this.y = uploaded.get(0);
            this.x = uploaded.get(1);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "uploading " + n + " samples");
        }
    }

    @Override
    public Dataset host() {
        return host;
    }

    @Override
    public LossGradient lossAndGradient(Loss loss, Params params) {
        return reduce("loss_grad", loss, new Params[] {params})[0];
    }

    /** One launch per at most gridDim.y parameter sets (one block row per set); nothing to launch for none. */
    @Override
    public LossGradient[] lossAndGradientBatch(Loss loss, Params[] params) {
        LossGradient[] results = new LossGradient[params.length];
        for (int first = 0; first < params.length; first += backend.maxGridY()) {
            Params[] chunk = Arrays.copyOfRange(params, first, Math.min(params.length, first + backend.maxGridY()));
            System.arraycopy(reduce("loss_grad_batch", loss, chunk), 0, results, first, chunk.length);
        }
        return results;
    }

    private LossGradient[] reduce(String kernel, Loss loss, Params[] sets) {
        float[] flat = ReductionLayout.packParameters(sets, k);
        float[] sums = new float[ReductionLayout.partialFloats(sets.length, blocks, k)];
        try {
            backend.makeCurrent();
            CUdeviceptr paramsOnDevice = params.atLeast((long) Float.BYTES * flat.length);
            CUdeviceptr partialsOnDevice = partials.atLeast((long) Float.BYTES * sums.length);
            JCudaDriver.cuMemcpyHtoD(paramsOnDevice, Pointer.to(flat), (long) Float.BYTES * flat.length);
            JCudaDriver.cuLaunchKernel(backend.function(kernel, loss), blocks, sets.length, 1, threads, 1, 1,
                    0, null, CudaKernels.parameters(kernel, y, x, n, k, paramsOnDevice, partialsOnDevice,
                            loss.kernelParameter()), null);
            JCudaDriver.cuCtxSynchronize();
            JCudaDriver.cuMemcpyDtoH(Pointer.to(sums), partialsOnDevice, (long) Float.BYTES * sums.length);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "computing the loss and gradient");
        }
        return ReductionLayout.combine(sums, sets.length, blocks, k, n);
    }

    @Override
    public LossGradient networkLossAndGradient(Loss loss, Network network, float[] theta, int[] rows) {
        try {
            return NetworkPasses.lossAndGradient(network(), n, k, loss, network, theta, rows);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "computing the network's loss and gradient");
        }
    }

    @Override
    public LossGradient[] networkLossAndGradientBatch(Loss loss, Network network, float[][] thetas, int[][] rows) {
        try {
            return NetworkPasses.lossAndGradientBatch(network(), n, k, loss, network, thetas, rows);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "computing the networks' losses and gradients");
        }
    }

    @Override
    public double[] networkLosses(Loss loss, Network network, float[][] thetas) {
        try {
            return NetworkPasses.losses(network(), n, k, loss, network, thetas);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "computing the network's losses");
        }
    }

    private CudaNetwork network() {
        if (network == null) {
            network = new CudaNetwork(backend, y, x, n, k);
        }
        return network;
    }

    static void free(CUdeviceptr pointer) {
        if (pointer != null) {
            JCudaDriver.cuMemFree(pointer);
        }
    }

    @Override
    public SurfaceTiles surface(Loss loss, SurfacePlane plane) {
        try {
            backend.makeCurrent();
            return new CudaSurfaceTiles(backend, loss, plane);
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "uploading the surface plane");
        }
    }

    /** Frees every buffer, each even if an earlier free failed (a failed device refuses them all); the first failure is reported. */
    @Override
    public void close() {
        try {
            Releases.all(List.of(backend::makeCurrent, () -> {
                if (network != null) {
                    network.close();
                }
            }, params::close, partials::close, () -> free(x), () -> free(y)));
        } catch (CudaException e) {
            throw CudaErrors.translate(e, "freeing the samples");
        }
    }
}
