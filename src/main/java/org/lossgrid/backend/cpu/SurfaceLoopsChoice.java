package org.lossgrid.backend.cpu;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Which loops the CPU backend's brute-force surface runs, and why; decided once per JVM, after Lucene's
 * VectorizationProvider. The vector loops ({@code VectorSurfaceLoops}, jdk.incubator.vector) run where
 * the JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code ./lossgrid} wrapper
 * and the {@code java -jar} restart add it), C2 compiles them (elsewhere the Vector API runs boxed, far
 * slower than scalar code), the JVM uses fused multiply-add, and the preferred vectors are at least
 * {@value #MIN_VECTOR_BITS} bits wide (AVX-512). Everywhere else the {@link ScalarSurfaceLoops} run. The
 * vector class is loaded by name only after these checks, so the scalar path never links against the
 * incubator module.
 *
 * @param reason why these loops run
 * @param vectorBits the preferred vector width, or 0 where it was not asked (the module is absent, C2 off)
 */
public record SurfaceLoopsChoice(Reason reason, int vectorBits) {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /**
     * Narrowest vectors the vector loops run on. With 256-bit vectors (AVX2, 16 registers; -XX:UseAVX=2 on
     * the AMD EPYC) the MAE loop spills two accumulators and ran slower than the scalar loops on one core
     * (1.55e10 against 2.42e10 evals/s; MSE 2.7e10 against 2.3e10).
     */
    public static final int MIN_VECTOR_BITS = 512;
    private static final String VECTOR_LOOPS = "org.lossgrid.backend.cpu.VectorSurfaceLoops";

    /** Why the vector loops run, or why the scalar loops run instead. */
    public enum Reason {
        /** Every condition holds: the vector loops run. */
        VECTOR,
        /** The JVM was started without {@code --add-modules jdk.incubator.vector}. */
        NO_MODULE,
        /** C2 does not compile: -Xint, -XX:TieredStopAtLevel below 4, a JVMCI compiler, or not HotSpot. */
        NO_C2,
        /** The JVM does not use fused multiply-add instructions (-XX:-UseFMA, or a CPU without them). */
        NO_FMA,
        /** The preferred vectors are narrower than {@value SurfaceLoopsChoice#MIN_VECTOR_BITS} bits. */
        NARROW_VECTORS
    }

    /** The choice for this JVM. */
    public static SurfaceLoopsChoice current() {
        return Current.CHOICE;
    }

    /** The loops this JVM runs. */
    static SurfaceLoops loops() {
        return Current.LOOPS;
    }

    public boolean vectorised() {
        return reason == Reason.VECTOR;
    }

    /** "vector" or "scalar". */
    public String implementation() {
        return vectorised() ? "vector" : "scalar";
    }

    /**
     * The decision, from the facts in the order they are checked: the module, the JIT compiler, FMA (both
     * from HotSpot's diagnostic bean, about 30 ms to start, which a JVM without the module skips), and only
     * then the preferred vector width, which loads the vector class.
     */
    static SurfaceLoopsChoice decide(boolean moduleLoaded, BooleanSupplier c2Compiles, BooleanSupplier fma,
            IntSupplier preferredBits) {
        if (!moduleLoaded) {
            return new SurfaceLoopsChoice(Reason.NO_MODULE, 0);
        }
        if (!c2Compiles.getAsBoolean()) {
            return new SurfaceLoopsChoice(Reason.NO_C2, 0);
        }
        if (!fma.getAsBoolean()) {
            return new SurfaceLoopsChoice(Reason.NO_FMA, 0);
        }
        int bits = preferredBits.getAsInt();
        return new SurfaceLoopsChoice(bits < MIN_VECTOR_BITS ? Reason.NARROW_VECTORS : Reason.VECTOR, bits);
    }

    /** A new instance of the vector loops, loaded by name; the caller has checked that the module is loaded. */
    static SurfaceLoops vectorLoops() {
        try {
            return (SurfaceLoops) vectorLoopsClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(VECTOR_LOOPS + " cannot be instantiated", e);
        }
    }

    private static int preferredVectorBits() {
        try {
            return (int) vectorLoopsClass().getDeclaredMethod("preferredBits").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(VECTOR_LOOPS + ".preferredBits cannot be called", e);
        }
    }

    private static Class<?> vectorLoopsClass() throws ClassNotFoundException {
        return Class.forName(VECTOR_LOOPS, true, SurfaceLoopsChoice.class.getClassLoader());
    }

    static boolean moduleLoaded() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Whether C2 compiles: HotSpot, not -Xint, not C1 alone ("emulated-client"), no JVMCI compiler. */
    private static boolean c2Compiles() {
        String info = System.getProperty("java.vm.info", "");
        return hotSpot().isPresent() && !info.contains("interpreted mode") && !info.contains("emulated-client")
                && !hotSpotFlag("UseJVMCICompiler");
    }

    /** A HotSpot boolean -XX flag; false where the VM is not HotSpot or has no such flag. */
    private static boolean hotSpotFlag(String name) {
        try {
            return hotSpot().map(bean -> Boolean.parseBoolean(bean.getVMOption(name).getValue())).orElse(false);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** HotSpot's diagnostic bean, or empty where the VM is not HotSpot. */
    private static Optional<HotSpotDiagnosticMXBean> hotSpot() {
        try {
            return Optional.ofNullable(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
        } catch (IllegalArgumentException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Decided when first asked, once per JVM (the holder idiom: no lock, no mutable state). */
    private static final class Current {
        static final SurfaceLoopsChoice CHOICE = decide(moduleLoaded(), SurfaceLoopsChoice::c2Compiles,
                () -> hotSpotFlag("UseFMA"), SurfaceLoopsChoice::preferredVectorBits);
        static final SurfaceLoops LOOPS = CHOICE.vectorised() ? vectorLoops() : new ScalarSurfaceLoops();
    }
}
