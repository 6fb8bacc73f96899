package org.lossgrid.backend.cuda;

import java.util.List;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.NetworkPasses;
import org.lossgrid.backend.ReductionLayout;
import org.lossgrid.loss.Loss;
import org.lossgrid.util.Releases;

/**
 * The {@code net_*} kernels of {@code kernels/cuda/lossgrid.cu} behind {@link NetworkPasses.Device}:
 * buffers for every set that grow to the largest pass seen, and one launch per call over every set
 * (gridDim.y, at most NetworkPasses.MAX_SETS), a thread per output element in blocks of {@value #THREADS}.
 */
final class CudaNetwork implements NetworkPasses.Device, AutoCloseable {
    private static final int THREADS = 256;
    private static final int MAX_BLOCKS = 16;

    private final CudaBackend backend;
    private final CUdeviceptr y;
    private final CUdeviceptr x;
    private final int n;
    private final int k;
    private final GrowableBuffer<CUdeviceptr> theta;
    private final GrowableBuffer<CUdeviceptr> rows;
    private final GrowableBuffer<CUdeviceptr> activations;
    private final List<GrowableBuffer<CUdeviceptr>> deltas;
    private final GrowableBuffer<CUdeviceptr> partials;
    private final GrowableBuffer<CUdeviceptr> gradient;
    private int sets;
    private int parameters;
    private int activationStride;
    private int deltaStride;
    private Loss loss;

    CudaNetwork(CudaBackend backend, CUdeviceptr y, CUdeviceptr x, int n, int k) {
        this.backend = backend;
        this.y = y;
        this.x = x;
        this.n = n;
        this.k = k;
        this.theta = backend.growable("network parameters");
        this.rows = backend.growable("minibatch rows");
        this.activations = backend.growable("network activations");
        this.deltas = List.of(backend.growable("network deltas"), backend.growable("network deltas"));
        this.partials = backend.growable("partial sums");
        this.gradient = backend.growable("network gradient");
    }

    @Override
    public void begin(Loss loss, int sets, int parameters, int rows, long activations, long deltas) {
        backend.makeCurrent();
        this.loss = loss;
        this.sets = sets;
        this.parameters = parameters;
        this.activationStride = Math.toIntExact(activations);
        this.deltaStride = Math.toIntExact(deltas);
        this.theta.atLeast((long) Sizeof.FLOAT * parameters * sets);
        this.rows.atLeast((long) Sizeof.INT * rows * sets);
        this.activations.atLeast(Sizeof.FLOAT * activations * sets);
        for (GrowableBuffer<CUdeviceptr> delta : this.deltas) {
            delta.atLeast(Sizeof.FLOAT * deltas * sets);
        }
        this.partials.atLeast(2L * Sizeof.FLOAT * MAX_BLOCKS * sets);
        this.gradient.atLeast(2L * Sizeof.FLOAT * parameters * sets);
    }

    @Override
    public void theta(float[] flat) {
        JCudaDriver.cuMemcpyHtoD(buffer(theta), Pointer.to(flat), (long) Sizeof.FLOAT * flat.length);
    }

    @Override
    public void rows(int[] flat) {
        JCudaDriver.cuMemcpyHtoD(buffer(rows), Pointer.to(flat), (long) Sizeof.INT * flat.length);
    }

    @Override
    public void gather(int m) {
        launch("net_gather", (long) k * m, x, n, k, buffer(rows), m, buffer(activations), activationStride);
    }

    @Override
    public void forward(int weights, int biases, int in, int out, int m, long from, long to, int activation) {
        launch("net_forward", (long) out * m, buffer(theta), parameters, weights, biases, in, out, m, buffer(activations),
                activationStride, Math.toIntExact(from), Math.toIntExact(to), activation);
    }

    @Override
    public void output(int m, long output, double[] sums) {
        int blocks = Math.max(1, Math.min(MAX_BLOCKS, (m + THREADS - 1) / THREADS));
        JCudaDriver.cuLaunchKernel(backend.function("net_output", loss), blocks, sets, 1, THREADS, 1, 1, 0, null,
                CudaKernels.parameters("net_output", y, buffer(rows), m, buffer(activations), activationStride,
                        Math.toIntExact(output), buffer(deltas.get(0)), deltaStride, buffer(partials),
                        loss.kernelParameter()), null);
        float[] pairs = new float[2 * blocks * sets];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(pairs), buffer(partials), (long) Sizeof.FLOAT * pairs.length);
        for (int s = 0; s < sets; s++) {
            sums[s] += ReductionLayout.sumPairs(pairs, blocks * s, blocks);
        }
    }

    @Override
    public void weightGradient(int delta, long from, int in, int out, int m, int weights, int biases) {
        launch("net_weight_grad", (long) out * (in + 1), buffer(deltas.get(delta)), deltaStride, buffer(activations),
                activationStride, Math.toIntExact(from), in, out, m, parameters, weights, biases, buffer(gradient));
    }

    @Override
    public void backprop(int weights, int in, int out, int m, int delta, long from, int activation) {
        launch("net_backprop", (long) in * m, buffer(theta), parameters, weights, in, out, m, buffer(deltas.get(delta)),
                buffer(deltas.get(1 - delta)), deltaStride, buffer(activations), activationStride, Math.toIntExact(from),
                activation);
    }

    @Override
    public void addGradient(double[][] sums) {
        float[] pairs = new float[2 * parameters * sets];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(pairs), buffer(gradient), (long) Sizeof.FLOAT * pairs.length);
        for (int s = 0; s < sets; s++) {
            ReductionLayout.addPairs(pairs, parameters * s, sums[s]);
        }
    }

    /** The current allocation of a buffer that {@link #begin} sized. */
    private static CUdeviceptr buffer(GrowableBuffer<CUdeviceptr> growable) {
        return growable.atLeast(Sizeof.FLOAT);
    }

    /** One launch of {@code name} with a thread per item of every set, in blocks of THREADS along x and a block row per set. */
    private void launch(String name, long items, Object... args) {
        if (items == 0) {
            return;
        }
        JCudaDriver.cuLaunchKernel(backend.function(name, loss), Math.toIntExact((items + THREADS - 1) / THREADS), sets, 1,
                THREADS, 1, 1, 0, null, CudaKernels.parameters(name, args), null);
    }

    @Override
    public void close() {
        Releases.all(List.of(theta::close, rows::close, activations::close, deltas.get(0)::close, deltas.get(1)::close,
                partials::close, gradient::close));
    }
}
