package io.hookgate.tenant;

import java.time.Instant;

/** The new current KEY, and until when the KEY it replaced still verifies. */
public record RotatedKey(String key, Instant previousKeyValidUntil) {
}
