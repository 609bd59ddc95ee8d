package io.hookgate.tenant;

import io.hookgate.support.LongId;

public record TenantId(long value) implements LongId {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
