package org.lossgrid.backend;

import org.lossgrid.data.Dataset;

/**
 * A compute backend: CPU, OpenCL or CUDA. It uploads a dataset once, after which the data stays
 * resident and every operation of {@link DeviceDataset} runs against it. Closing the backend
 * releases its context; datasets must be closed first.
 */
public interface Backend extends AutoCloseable {
    /** {@code cpu}, {@code opencl} or {@code cuda}. */
    String name();

    DeviceInfo device();

    /** Copies the samples to the device as float32, once. */
    DeviceDataset upload(Dataset data);

    @Override
    void close();
}
