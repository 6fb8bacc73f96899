package org.lossgrid.backend;

/** What a backend runs on, for {@code devices} and every JSON summary. */
public record DeviceInfo(String name, int computeUnits, long memoryBytes, String details) {
}
