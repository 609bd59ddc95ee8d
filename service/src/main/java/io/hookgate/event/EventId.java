package io.hookgate.event;

import io.hookgate.support.LongId;

public record EventId(long value) implements LongId {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
