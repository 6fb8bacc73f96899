package org.lossgrid.backend.cpu;

import java.util.concurrent.ForkJoinPool;

import org.lossgrid.backend.Backend;
import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.DeviceInfo;
import org.lossgrid.data.Dataset;

/** The pure-Java backend: every core through its own fork-join pool, always available. */
public final class CpuBackend implements Backend {
    private final ForkJoinPool pool;
    private final int threads;

    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = new ForkJoinPool(this.threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public DeviceInfo device() {
        String cpu = System.getProperty("os.arch") + ", Java " + Runtime.version().feature() + ", "
                + SurfaceLoopsChoice.loops().description();
        return new DeviceInfo("Java on " + CpuModel.name(), threads, Runtime.getRuntime().maxMemory(), cpu);
    }

    @Override
    public DeviceDataset upload(Dataset data) {
        return new CpuDeviceDataset(data, pool);
    }

    ForkJoinPool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
