package org.lossgrid.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.lossgrid.backend.KernelConstants;
import org.lossgrid.loss.Loss;

/**
 * The CUDA kernels' entry points and parameter lists, as the launch code passes them. Every launch
 * goes through {@link #parameters}, which checks the arguments against this table, and
 * {@code CudaPtxAbiTest} checks the table against the {@code .entry} lists of the shipped PTX, so a
 * kernel signature change that the Java side missed fails the build instead of a user's launch.
 */
public final class CudaKernels {
    /** A kernel parameter: a device pointer ({@code .u64} in PTX), a 32-bit int ({@code .u32}) or a float ({@code .f32}). */
    public enum Arg {
        POINTER, INT, FLOAT
    }

    public static final Map<String, List<Arg>> SIGNATURES = Map.of(
            "surface", List.of(Arg.POINTER, Arg.POINTER, Arg.POINTER, Arg.POINTER, Arg.POINTER, Arg.INT, Arg.INT,
                    Arg.INT, Arg.INT, Arg.POINTER, Arg.FLOAT),
            "loss_grad", List.of(Arg.POINTER, Arg.POINTER, Arg.INT, Arg.INT, Arg.POINTER, Arg.POINTER, Arg.FLOAT),
            "loss_grad_batch", List.of(Arg.POINTER, Arg.POINTER, Arg.INT, Arg.INT, Arg.POINTER, Arg.POINTER, Arg.FLOAT),
            "net_gather", List.of(Arg.POINTER, Arg.INT, Arg.INT, Arg.POINTER, Arg.INT, Arg.POINTER, Arg.INT),
            "net_forward", List.of(Arg.POINTER, Arg.INT, Arg.INT, Arg.INT, Arg.INT, Arg.INT, Arg.INT, Arg.POINTER, Arg.INT,
                    Arg.INT, Arg.INT, Arg.INT),
            "net_output", List.of(Arg.POINTER, Arg.POINTER, Arg.INT, Arg.POINTER, Arg.INT, Arg.INT, Arg.POINTER, Arg.INT,
                    Arg.POINTER, Arg.FLOAT),
            "net_weight_grad", List.of(Arg.POINTER, Arg.INT, Arg.POINTER, Arg.INT, Arg.INT, Arg.INT, Arg.INT, Arg.INT,
                    Arg.INT, Arg.INT, Arg.INT, Arg.POINTER),
            "net_backprop", List.of(Arg.POINTER, Arg.INT, Arg.INT, Arg.INT, Arg.INT, Arg.INT, Arg.POINTER, Arg.POINTER,
                    Arg.INT, Arg.POINTER, Arg.INT, Arg.INT, Arg.INT));

    /** The module global holding the loss id a module was built for ({@code lossgrid_loss = LOSS}). */
    static final String LOSS_MARKER = "lossgrid_loss";
    /** The source NVRTC compiles when the packaged PTX cannot load. */
    static final String SOURCE = "cuda/lossgrid.cu";
    /** The cuda.* constants of kernels/common/constants.properties, the defines of every CUDA build. */
    static final KernelConstants CONSTANTS = KernelConstants.of("cuda");
    /** The most features the reductions take (MAX_K). */
    static final int MAX_FEATURES = CONSTANTS.get("MAX_K");
    /** Grid rows per thread of the surface kernel. */
    static final int ROWS_PER_ITEM = CONSTANTS.get("ROWS_PER_ITEM");

    private CudaKernels() {
    }

    /** The PTX resource of a kind of loss, as kernels/cuda/build-ptx.sh names it: {@code cuda/lossgrid-mae.ptx}. */
    static String ptx(Loss.Kind kind) {
        return "cuda/lossgrid-" + kind.name().toLowerCase(Locale.ROOT) + ".ptx";
    }

    /** The kernelParams of cuLaunchKernel, after checking each argument against the kernel's signature. */
    static Pointer parameters(String kernel, Object... args) {
        List<Arg> signature = SIGNATURES.get(kernel);
        if (signature == null || signature.size() != args.length) {
            throw new IllegalStateException("launch of " + kernel + " with " + args.length + " arguments does not match "
                    + signature);
        }
        List<Pointer> pointers = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            Arg expected = signature.get(a);
            if (expected == Arg.POINTER && args[a] instanceof CUdeviceptr ptr) {
                pointers.add(Pointer.to(ptr));
            } else if (expected == Arg.INT && args[a] instanceof Integer value) {
                pointers.add(Pointer.to(new int[] {value}));
            } else if (expected == Arg.FLOAT && args[a] instanceof Float value) {
                pointers.add(Pointer.to(new float[] {value}));
            } else {
                throw new IllegalStateException("argument " + a + " of " + kernel + " must be " + expected + ", got "
                        + args[a]);
            }
        }
        return Pointer.to(pointers.toArray(Pointer[]::new));
    }
}
