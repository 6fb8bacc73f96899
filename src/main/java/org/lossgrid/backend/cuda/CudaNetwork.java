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
 * buffers that grow to the largest chunk and network seen, and one launch per call, a thread per
 * output element in blocks of {@value #THREADS}.
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
    private int parameters;
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
    public void begin(Loss loss, int parameters, int rows, long activations, long deltas) {
        backend.makeCurrent();
        this.loss = loss;
        this.parameters = parameters;
        this.theta.atLeast((long) Sizeof.FLOAT * parameters);
        this.rows.atLeast((long) Sizeof.INT * rows);
        this.activations.atLeast(Sizeof.FLOAT * activations);
        for (GrowableBuffer<CUdeviceptr> delta : this.deltas) {
            delta.atLeast(Sizeof.FLOAT * deltas);
        }
        this.partials.atLeast(2L * Sizeof.FLOAT * MAX_BLOCKS);
        this.gradient.atLeast(2L * Sizeof.FLOAT * parameters);
    }

    @Override
    public void theta(float[] values) {
        JCudaDriver.cuMemcpyHtoD(buffer(theta), Pointer.to(values), (long) Sizeof.FLOAT * values.length);
    }

    @Override
    public void rows(int[] values, int count) {
        JCudaDriver.cuMemcpyHtoD(buffer(rows), Pointer.to(values), (long) Sizeof.INT * count);
    }

    @Override
    public void gather(int m) {
        launch("net_gather", (long) k * m, x, n, k, buffer(rows), m, buffer(activations));
    }

    @Override
    public void forward(int weights, int biases, int in, int out, int m, long from, long to, int activation) {
        launch("net_forward", (long) out * m, buffer(theta), weights, biases, in, out, m, buffer(activations),
                Math.toIntExact(from), Math.toIntExact(to), activation);
    }

    @Override
    public double output(int m, long output) {
        int blocks = Math.max(1, Math.min(MAX_BLOCKS, (m + THREADS - 1) / THREADS));
        JCudaDriver.cuLaunchKernel(backend.function("net_output", loss), blocks, 1, 1, THREADS, 1, 1, 0, null,
                CudaKernels.parameters("net_output", y, buffer(rows), m, buffer(activations), Math.toIntExact(output),
                        buffer(deltas.get(0)), buffer(partials), loss.kernelParameter()), null);
        float[] sums = new float[2 * blocks];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(sums), buffer(partials), (long) Sizeof.FLOAT * sums.length);
        return ReductionLayout.sumPairs(sums, blocks);
    }

    @Override
    public void weightGradient(int delta, long from, int in, int out, int m, int weights, int biases) {
        launch("net_weight_grad", (long) out * (in + 1), buffer(deltas.get(delta)), buffer(activations),
                Math.toIntExact(from), in, out, m, weights, biases, buffer(gradient));
    }

    @Override
    public void backprop(int weights, int in, int out, int m, int delta, long from, int activation) {
        launch("net_backprop", (long) in * m, buffer(theta), weights, in, out, m, buffer(deltas.get(delta)),
                buffer(activations), Math.toIntExact(from), buffer(deltas.get(1 - delta)), activation);
    }

    @Override
    public void addGradient(double[] sums) {
        float[] pairs = new float[2 * parameters];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(pairs), buffer(gradient), (long) Sizeof.FLOAT * pairs.length);
        ReductionLayout.addPairs(pairs, sums);
    }

    /** The current allocation of a buffer that {@link #begin} sized. */
    private static CUdeviceptr buffer(GrowableBuffer<CUdeviceptr> growable) {
        return growable.atLeast(Sizeof.FLOAT);
    }

    /** One launch of {@code name} with a thread per item, in blocks of THREADS along x. */
    private void launch(String name, long items, Object... args) {
        if (items == 0) {
            return;
        }
        JCudaDriver.cuLaunchKernel(backend.function(name, loss), Math.toIntExact((items + THREADS - 1) / THREADS), 1, 1,
                THREADS, 1, 1, 0, null, CudaKernels.parameters(name, args), null);
    }

    @Override
    public void close() {
        Releases.all(List.of(theta::close, rows::close, activations::close, deltas.get(0)::close, deltas.get(1)::close,
                partials::close, gradient::close));
    }
}
