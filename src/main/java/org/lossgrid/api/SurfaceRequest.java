package org.lossgrid.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.util.Progress;

/**
 * What surface to compute: the loss, the method, the two parameters that vary (the slice axes) and
 * the values of the others, the grid, and the memory budget. Build one with {@link #of(Loss)}:
 *
 * <pre>{@code
 * SurfaceRequest request = SurfaceRequest.of(Loss.MAE)
 *         .grid(new Axis(0.5, 1.5, 512), new Axis(-1000, 1500, 512))
 *         .build();
 * }</pre>
 *
 * An axis left out is centred on the exact optimum, {@value #DEFAULT_POINTS} points wide enough to move
 * the predictions by three residual standard deviations. Parameters that are not axes are held at 0,
 * at the exact optimum ({@link Builder#holdAtOptimum()}), or at given values ({@link Builder#hold}),
 * which override the optimum's.
 */
public record SurfaceRequest(Loss loss, SurfaceMethod method, String horizontal, String vertical, Axis horizontalAxis,
        Axis verticalAxis, boolean holdAtOptimum, Map<String, Double> held, Long memoryBudget, Progress progress) {
    /** Points per axis of a grid chosen around the optimum. */
    public static final int DEFAULT_POINTS = 512;

    public SurfaceRequest {
        held = Map.copyOf(held);
    }

    /** The same request, reporting progress to {@code listener}. */
    public SurfaceRequest withProgress(Progress listener) {
        return new SurfaceRequest(loss, method, horizontal, vertical, horizontalAxis, verticalAxis, holdAtOptimum, held,
                memoryBudget, listener);
    }

    /** The keyword of {@code at} for the exact optimum's values. */
    public static final String OPTIMUM = "optimum";

    /**
     * A request from the adapters' words, each named as its flag (any may be null for its default):
     * {@code axes} "H,V", {@code w} and {@code b} "MIN:MAX:N", {@code at} "NAME=VALUE,..." or
     * "optimum[,NAME=VALUE...]", for a model with {@code features} weights.
     */
    public static Builder parse(Loss loss, SurfaceMethod method, int features, String axes, String w, String b,
            String at) {
        String[] names = (axes == null ? "w1,b" : axes).split(",");
        if (names.length != 2) {
            throw LossgridException.badInput(LossgridException.param("axes")
                    + ": expected two parameter names such as w1,b, got '" + axes + "'");
        }
        Builder request = of(loss).method(method).axes(names[0].strip(), names[1].strip())
                .grid(w == null ? null : Axis.parse(w, "w"), b == null ? null : Axis.parse(b, "b"));
        List<String> pairs = new ArrayList<>();
        for (String part : at == null ? new String[0] : at.split(",")) {
            if (part.strip().equals(OPTIMUM)) {
                request.holdAtOptimum();
            } else if (part.contains("=")) {
                pairs.add(part);
            } else if (!part.isBlank()) {
                throw LossgridException.badInput(LossgridException.param("at") + ": expected NAME=VALUE or '" + OPTIMUM
                        + "', got '" + part.strip() + "'");
            }
        }
        ParamName.parseAssignments(String.join(",", pairs), features, "at")
                .forEach((index, value) -> request.hold(ParamName.of(index), value));
        return request;
    }

    /** A request for the book's slice (w1 horizontally, b vertically) of {@code loss}, method auto. */
    public static Builder of(Loss loss) {
        return new Builder(loss);
    }

    /** Builds a {@link SurfaceRequest}; every setting is optional. */
    public static final class Builder {
        private final Loss loss;
        private SurfaceMethod method = SurfaceMethod.AUTO;
        private String horizontal = "w1";
        private String vertical = "b";
        private Axis horizontalAxis;
        private Axis verticalAxis;
        private boolean holdAtOptimum;
        private final Map<String, Double> held = new LinkedHashMap<>();
        private Long memoryBudget;
        private Progress progress = Progress.NONE;

        private Builder(Loss loss) {
            this.loss = loss;
        }

        /** brute, exact-fast or auto (the default: exact-fast where the loss has it). */
        public Builder method(SurfaceMethod method) {
            this.method = method;
            return this;
        }

        /** The parameters that vary, horizontal then vertical, by name: {@code b}, {@code w1}, ... (default w1, b). */
        public Builder axes(String horizontal, String vertical) {
            this.horizontal = horizontal;
            this.vertical = vertical;
            return this;
        }

        /** Both axes; either may be null, for a default around the optimum. */
        public Builder grid(Axis horizontal, Axis vertical) {
            this.horizontalAxis = horizontal;
            this.verticalAxis = vertical;
            return this;
        }

        /** Holds the parameters that are not axes at the exact optimum of the loss. */
        public Builder holdAtOptimum() {
            this.holdAtOptimum = true;
            return this;
        }

        /** Holds parameter {@code name} at {@code value} (over 0 or the optimum's value). */
        public Builder hold(String name, double value) {
            held.put(name, value);
            return this;
        }

        /** Holds each named parameter at its value. */
        public Builder hold(Map<String, Double> values) {
            held.putAll(values);
            return this;
        }

        /** Memory for the surface and its outputs, in bytes (default: half the Java heap). */
        public Builder memoryBudget(long bytes) {
            this.memoryBudget = bytes;
            return this;
        }

        /** Told how far the computation has got. */
        public Builder progress(Progress progress) {
            this.progress = progress;
            return this;
        }

        public SurfaceRequest build() {
            return new SurfaceRequest(loss, method, horizontal, vertical, horizontalAxis, verticalAxis, holdAtOptimum,
                    held, memoryBudget, progress);
        }
    }
}
