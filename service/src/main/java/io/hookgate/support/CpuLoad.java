package io.hookgate.support;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * How busy the machine's CPUs were lately, from 0 to 1 (the container's share where the JVM runs in one), read at
 * most every {@link #REFRESH_NANOS}: the JVM measures the load since its previous reading, so readings microseconds
 * apart would be noise.
 */
public final class CpuLoad implements DoubleSupplier {

    static final long REFRESH_NANOS = 200_000_000L;

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long readAtNanos = System.nanoTime() - REFRESH_NANOS;
    private double load;

    /** The load over the last reading's interval; 0 where the platform does not tell. */
    @Override
    public synchronized double getAsDouble() {
        long now = System.nanoTime();
        if (now - readAtNanos >= REFRESH_NANOS) {
            double read = os.getCpuLoad();
            load = read < 0 ? 0 : read;
            readAtNanos = now;
        }
        return load;
    }
}
