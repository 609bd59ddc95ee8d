package io.hookgate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookgate.audit.AuditLog;
import io.hookgate.support.Digests;
import org.jdbi.v3.core.Jdbi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an email and password, for HTTP Basic on the API and for the UI's login form. After
 * {@link #LOCK_THRESHOLD} failures in a row the account locks for a growing time (1, 2, 4 … 60 minutes) during
 * which even the right password is refused, so guessing is slow whatever the attacker's rate.
 * <p>
 * HTTP Basic sends the password with every request, and bcrypt is slow by design, so a password that matched is
 * remembered for {@link #VERIFIED_FOR}: only the hash comparison is skipped. The account is read on every request,
 * so disabling it, locking it, changing its role or its password takes effect at once, on every instance.
 */
public final class LoginService {

    static final int LOCK_THRESHOLD = 5;
    static final Duration VERIFIED_FOR = Duration.ofSeconds(60);

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;
    /** SHA-256 of email and password (never the password itself) → the stored hash it matched. */
    private final Cache<ByteBuffer, String> verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(VERIFIED_FOR).build();

    public LoginService(Jdbi jdbi, PasswordHasher hasher, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    public Optional<Actor> login(String email, String password) {
        Instant now = clock.instant();
        Optional<UserDao.Credentials> found = jdbi.withExtension(UserDao.class, dao -> dao.credentials(email));
        if (found.isEmpty() || found.get().user().disabled()) {
            hasher.spendDecoyCheck(password);
            return Optional.empty();
        }
        UserDao.Credentials credentials = found.get();
        if (credentials.user().lockedUntil().filter(now::isBefore).isPresent()) {
            return Optional.empty();
        }
        User user = credentials.user();
        ByteBuffer pair = pair(email, password);
        if (!credentials.passwordHash().equals(verified.getIfPresent(pair)) && !hasher.matches(password, credentials.passwordHash())) {
            UserDao.FailedLogin failure = jdbi.withExtension(UserDao.class, dao -> dao.recordFailedLogin(user.id(), LOCK_THRESHOLD, now));
            // rounded: PostgreSQL keeps the lock's end to the microsecond
            failure.lockedUntil().ifPresent(until -> audit.record(null, "login.locked", user.tenantId().orElse(null), "user " + user.id(),
                Map.of("email", user.email(), "failedLogins", failure.failedLogins(),
                    "minutes", Math.round(Duration.between(now, until).toMillis() / 60_000.0))));
            return Optional.empty();
        }
        verified.put(pair, credentials.passwordHash());
        if (credentials.failedLogins() > 0) {
            jdbi.useExtension(UserDao.class, dao -> dao.clearFailedLogins(user.id()));
        }
        return Optional.of(user.asActor());
    }

    private static ByteBuffer pair(String email, String password) {
        return ByteBuffer.wrap(Digests.sha256((email + '\0' + password).getBytes(StandardCharsets.UTF_8)));
    }
}
