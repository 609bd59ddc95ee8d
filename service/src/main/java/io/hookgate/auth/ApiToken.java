package io.hookgate.auth;

import java.time.Instant;

/** An API token's record; the token itself is shown once, at creation, and only its SHA-256 is stored. */
public record ApiToken(long id, UserId userId, String name, Instant createdAt, Instant lastUsedAt) {
}
