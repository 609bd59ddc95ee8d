package io.hookgate.auth;

import io.hookgate.support.LongId;

public record UserId(long value) implements LongId {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
