package org.lossgrid.data;

/** Training and test samples; {@code test} may have no rows. */
public record Split(Dataset train, Dataset test) {
    public int features() {
        return train.k();
    }
}
