package io.hookgate.tenant;

import java.time.Instant;

/** The new current KEY, and until when the KEY it replaced still verifies. */
public record RotatedKey(String key, Instant previousKeyValidUntil, Instant rotatedAt) {

    /** False after a rotation without grace: notifications signed with the old KEY are refused from now on. */
    public boolean previousKeyStillVerifies() {
        return previousKeyValidUntil.isAfter(rotatedAt);
    }
}
