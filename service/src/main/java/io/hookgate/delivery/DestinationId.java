package io.hookgate.delivery;

import io.hookgate.support.LongId;

public record DestinationId(long value) implements LongId {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
