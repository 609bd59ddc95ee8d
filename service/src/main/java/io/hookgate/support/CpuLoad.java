package io.hookgate.support;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * How busy the machine's CPUs were lately, from 0 to 1 (the container's share where the JVM runs in one): readings
 * of the JVM's load since the previous one, at most every {@link #REFRESH_NANOS} (readings microseconds apart would
 * be noise), averaged over about a second, so that a collection or a compilation does not read as saturation.
 */
public final class CpuLoad implements DoubleSupplier {

    static final long REFRESH_NANOS = 200_000_000L;
    /** Each reading's weight in the average: about the last five count. */
    private static final double WEIGHT = 0.2;

    private final DoubleSupplier reading;
    private final LongSupplier nanoTime;
    private long readAtNanos;
    private double load;
    private boolean any;

    public CpuLoad() {
        this(((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())::getCpuLoad, System::nanoTime);
    }

    /** {@code reading}: the load since the previous reading, negative where unknown. */
    CpuLoad(DoubleSupplier reading, LongSupplier nanoTime) {
        this.reading = reading;
        this.nanoTime = nanoTime;
        this.readAtNanos = nanoTime.getAsLong() - REFRESH_NANOS;
    }

    /** The load averaged over the last second or so; 0 where the platform does not tell. */
    @Override
    public synchronized double getAsDouble() {
        long now = nanoTime.getAsLong();
        if (now - readAtNanos >= REFRESH_NANOS) {
            double read = reading.getAsDouble();
            if (read >= 0) { // negative: the platform does not tell
                load = any ? load + WEIGHT * (read - load) : read;
                any = true;
            }
            readAtNanos = now;
        }
        return load;
    }
}
