package io.hookgate.auth;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Checks an email and password, for HTTP Basic on the API and for the UI's login form. After
 * {@link #LOCK_THRESHOLD} failures in a row the account locks for a growing time (1, 2, 4 … 60 minutes) during
 * which even the right password is refused, so guessing is slow whatever the attacker's rate.
 */
public final class LoginService {

    static final int LOCK_THRESHOLD = 5;

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;

    public LoginService(Jdbi jdbi, PasswordHasher hasher, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
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
        UserId id = credentials.user().id();
        if (!hasher.matches(password, credentials.passwordHash())) {
            jdbi.useExtension(UserDao.class, dao -> dao.recordFailedLogin(id, LOCK_THRESHOLD, now));
            return Optional.empty();
        }
        if (credentials.failedLogins() > 0) {
            jdbi.useExtension(UserDao.class, dao -> dao.clearFailedLogins(id));
        }
        return Optional.of(credentials.user().asActor());
    }
}
