package org.lossgrid.backend.opencl;

import java.util.List;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.lossgrid.backend.GrowableBuffer;
import org.lossgrid.backend.NetworkPasses;
import org.lossgrid.backend.ReductionLayout;
import org.lossgrid.loss.Loss;
import org.lossgrid.util.Releases;

/**
 * The {@code net_*} kernels of {@code kernels/opencl/lossgrid.cl} behind {@link NetworkPasses.Device}:
 * buffers for every set that grow to the largest pass seen, and one launch per call over every set (the
 * second dimension of the global size).
 */
final class OpenClNetwork implements NetworkPasses.Device, AutoCloseable {
    /** Work-items per group of the output layer's loss sum; a power of two for the tree. */
    private static final int LOCAL = 64;
    private static final int MAX_GROUPS = 16;

    private final OpenClBackend backend;
    private final OpenClBuffer y;
    private final OpenClBuffer x;
    private final int n;
    private final int k;
    private final int local;
    private final GrowableBuffer<OpenClBuffer> theta;
    private final GrowableBuffer<OpenClBuffer> rows;
    private final GrowableBuffer<OpenClBuffer> activations;
    private final List<GrowableBuffer<OpenClBuffer>> deltas;
    private final GrowableBuffer<OpenClBuffer> partials;
    private final GrowableBuffer<OpenClBuffer> gradient;
    private int sets;
    private int parameters;
    private int activationStride;
    private int deltaStride;
    private Loss loss;

    OpenClNetwork(OpenClBackend backend, OpenClBuffer y, OpenClBuffer x, int n, int k) {
        this.backend = backend;
        this.y = y;
        this.x = x;
        this.n = n;
        this.k = k;
        this.local = (int) Math.min(LOCAL, Integer.highestOneBit((int) Math.min(Integer.MAX_VALUE,
                backend.openClDevice().maxWorkGroup())));
        this.theta = OpenClBuffer.growable(backend, "network parameters");
        this.rows = OpenClBuffer.growable(backend, "minibatch rows");
        this.activations = OpenClBuffer.growable(backend, "network activations");
        this.deltas = List.of(OpenClBuffer.growable(backend, "network deltas"), OpenClBuffer.growable(backend, "network deltas"));
        this.partials = OpenClBuffer.growable(backend, "partial sums");
        this.gradient = OpenClBuffer.growable(backend, "network gradient");
    }

    @Override
    public void begin(Loss loss, int sets, int parameters, int rows, long activations, long deltas) {
        this.loss = loss;
        this.sets = sets;
        this.parameters = parameters;
        this.activationStride = Math.toIntExact(activations);
        this.deltaStride = Math.toIntExact(deltas);
        this.theta.atLeast((long) Sizeof.cl_float * parameters * sets);
        this.rows.atLeast((long) Sizeof.cl_int * rows * sets);
        this.activations.atLeast(Sizeof.cl_float * activations * sets);
        for (GrowableBuffer<OpenClBuffer> delta : this.deltas) {
            delta.atLeast(Sizeof.cl_float * deltas * sets);
        }
        this.partials.atLeast(2L * Sizeof.cl_float * MAX_GROUPS * sets);
        this.gradient.atLeast(2L * Sizeof.cl_float * parameters * sets);
    }

    @Override
    public void theta(float[] flat) {
        theta.atLeast((long) Sizeof.cl_float * flat.length).write(flat, flat.length);
    }

    @Override
    public void rows(int[] flat) {
        rows.atLeast((long) Sizeof.cl_int * flat.length).write(flat, flat.length);
    }

    @Override
    public void gather(int m) {
        launch("net_gather", (long) k * m, x.mem, n, k, buffer(rows), m, buffer(activations), activationStride);
    }

    @Override
    public void forward(int weights, int biases, int in, int out, int m, long from, long to, int activation) {
        launch("net_forward", (long) out * m, buffer(theta), parameters, weights, biases, in, out, m, buffer(activations),
                activationStride, Math.toIntExact(from), Math.toIntExact(to), activation);
    }

    @Override
    public void output(int m, long output, double[] sums) {
        int groups = Math.max(1, Math.min(MAX_GROUPS, (m + local - 1) / local));
        cl_kernel kernel = kernel("net_output");
        set(kernel, new Object[] {y.mem, buffer(rows), m, buffer(activations), activationStride, Math.toIntExact(output),
            buffer(deltas.get(0)), deltaStride, buffer(partials), null, loss.kernelParameter()});
        CL.clSetKernelArg(kernel, 9, 2L * Sizeof.cl_float * local, null);
        CL.clEnqueueNDRangeKernel(backend.queue(), kernel, 2, null, new long[] {(long) groups * local, sets},
                new long[] {local, 1}, 0, null, null);
        float[] pairs = new float[2 * groups * sets];
        partials.atLeast(Sizeof.cl_float).read(pairs, pairs.length);
        for (int s = 0; s < sets; s++) {
            sums[s] += ReductionLayout.sumPairs(pairs, groups * s, groups);
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
        gradient.atLeast(Sizeof.cl_float).read(pairs, pairs.length);
        for (int s = 0; s < sets; s++) {
            ReductionLayout.addPairs(pairs, parameters * s, sums[s]);
        }
    }

    private static cl_mem buffer(GrowableBuffer<OpenClBuffer> growable) {
        return growable.atLeast(Sizeof.cl_float).mem;
    }

    private cl_kernel kernel(String name) {
        return backend.kernel(name, loss.kernelId(), k);
    }

    /** One launch of {@code name} over {@code items} work-items for each set (the runtime picks the groups). */
    private void launch(String name, long items, Object... args) {
        if (items == 0) {
            return;
        }
        cl_kernel kernel = kernel(name);
        set(kernel, args);
        CL.clEnqueueNDRangeKernel(backend.queue(), kernel, 2, null, new long[] {items, sets}, null, 0, null, null);
    }

    /** Sets each argument by its type: a buffer, an int or a float; null is left for the caller (local memory). */
    private static void set(cl_kernel kernel, Object[] args) {
        for (int a = 0; a < args.length; a++) {
            if (args[a] instanceof cl_mem mem) {
                CL.clSetKernelArg(kernel, a, Sizeof.cl_mem, Pointer.to(mem));
            } else if (args[a] instanceof Integer value) {
                CL.clSetKernelArg(kernel, a, Sizeof.cl_int, Pointer.to(new int[] {value}));
            } else if (args[a] instanceof Float value) {
                CL.clSetKernelArg(kernel, a, Sizeof.cl_float, Pointer.to(new float[] {value}));
            } else if (args[a] != null) {
                throw new IllegalStateException("argument " + a + " of type " + args[a].getClass());
            }
        }
    }

    @Override
    public void close() {
        Releases.all(List.of(theta::close, rows::close, activations::close, deltas.get(0)::close, deltas.get(1)::close,
                partials::close, gradient::close));
    }
}
