package io.hookgate.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuLoadTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ArrayDeque<Double> readings = new ArrayDeque<>();
    private final CpuLoad load = new CpuLoad(readings::poll, nanos::get);

    @Test
    void aBusyMomentDoesNotReadAsSaturation() {
        readings.addAll(List.of(0.5, 0.5, 0.5, 1.0));
        double last = 0;
        for (int i = 0; i < 4; i++) {
            last = next();
        }
        assertThat(last).isCloseTo(0.6, within(0.001)); // a GC or a compilation at 100% for 200 ms, after 50%
    }

    @Test
    void aSustainedLoadReadsAsSaturationWithinTwoSeconds() {
        readings.add(0.5);
        for (int i = 0; i < 10; i++) {
            readings.add(1.0);
        }
        double last = 0;
        for (int i = 0; i < 11; i++) {
            last = next();
        }
        assertThat(last).isGreaterThan(0.9);
    }

    @Test
    void readingsCloserThanTheRefreshIntervalAreNotTaken() {
        readings.addAll(List.of(0.4, 1.0));
        assertThat(next()).isEqualTo(0.4);
        nanos.addAndGet(1_000_000);
        assertThat(load.getAsDouble()).isEqualTo(0.4);
        assertThat(readings).containsExactly(1.0);
    }

    @Test
    void anUnknownLoadIsZeroAndDoesNotCount() {
        readings.addAll(List.of(-1.0, 0.7));
        assertThat(next()).isZero();
        assertThat(next()).isEqualTo(0.7);
    }

    private double next() {
        nanos.addAndGet(CpuLoad.REFRESH_NANOS);
        return load.getAsDouble();
    }
}
