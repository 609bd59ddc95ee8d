package io.hookgate.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a password re-entered before a sensitive action was right. A wrong one counts toward the account's lock
 * like a failed sign-in; {@code lockedUntil} is present once the account is locked, when even the right one fails.
 */
public record PasswordConfirmation(boolean confirmed, Optional<Instant> lockedUntil) {

    static final PasswordConfirmation CONFIRMED = new PasswordConfirmation(true, Optional.empty());
}
