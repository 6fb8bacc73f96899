package org.lossgrid.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The secondary metric: loss evaluations (grid points x samples); in throughput mode JMH reports evals/s. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Evals {
    public long evals;

    @Setup(Level.Iteration)
    public void reset() {
        evals = 0;
    }
}
