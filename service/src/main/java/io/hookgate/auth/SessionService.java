package io.hookgate.auth;

import io.hookgate.audit.AuditLog;
import io.hookgate.support.Digests;
import io.hookgate.support.RandomTokens;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Admin UI sessions: created by a password login, ended by logout, by 30 minutes without activity or 12 hours in
 * all, and at once when the user is disabled or changes password. Stored in PostgreSQL, so any instance serves
 * any session.
 */
public final class SessionService {

    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(12);

    private final Jdbi jdbi;
    private final LoginService logins;
    private final RandomTokens random;
    private final AuditLog audit;
    private final Clock clock;

    public SessionService(Jdbi jdbi, LoginService logins, RandomTokens random, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.logins = logins;
        this.random = random;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new session's cookie value, if the credentials are right and the account is not locked. */
    public Optional<String> login(String email, String password, String sourceIp) {
        Optional<Actor> actor = logins.login(email == null ? "" : email.strip(), password == null ? "" : password);
        if (actor.isEmpty()) {
            audit.record(null, "login.failed", null, email, Map.of("ip", String.valueOf(sourceIp)));
            return Optional.empty();
        }
        String cookie = random.urlSafe(32);
        Instant now = clock.instant();
        jdbi.useExtension(SessionDao.class, dao -> dao.insert(hash(cookie), actor.get().id(), random.urlSafe(24), now, now.plus(IDLE)));
        audit.record(actor.get(), "login", actor.get().tenantId().orElse(null), "user " + actor.get().id(), Map.of("ip", String.valueOf(sourceIp)));
        return Optional.of(cookie);
    }

    public Optional<WebSession> resolve(String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        byte[] id = hash(cookie);
        return jdbi.withExtension(SessionDao.class, dao -> dao.find(id, now).map(row -> {
            dao.touch(id, now, now.plus(IDLE), ABSOLUTE.toSeconds() + " seconds");
            return new WebSession(row.user().asActor(), row.csrfToken(), row.expiresAt());
        }));
    }

    public void logout(String cookie, Actor actor) {
        if (cookie != null) {
            jdbi.useExtension(SessionDao.class, dao -> dao.delete(hash(cookie)));
        }
        if (actor != null) {
            audit.record(actor, "logout", actor.tenantId().orElse(null), "user " + actor.id(), Map.of());
        }
    }

    /** Checks the password of a signed-in user again, before showing a secret. */
    /**
     * Checks a password re-entered before {@code purpose} (audited when wrong, e.g. "reveal the KEY of tenant 3", under
     * the tenant it {@code concerns}, else the actor's): guessing it here counts toward the lock as at sign-in.
     */
    public PasswordConfirmation confirmPassword(Actor actor, String password, String purpose, Optional<TenantId> concerns) {
        if (logins.login(actor.email(), password == null ? "" : password).filter(a -> a.id().equals(actor.id())).isPresent()) {
            return PasswordConfirmation.CONFIRMED;
        }
        Instant now = clock.instant();
        Optional<Instant> lockedUntil = jdbi.withExtension(UserDao.class, dao -> dao.find(actor.id()))
            .flatMap(User::lockedUntil).filter(now::isBefore);
        audit.record(actor, "password.confirm.failed", concerns.or(actor::tenantId).orElse(null), "user " + actor.id(),
            Map.of("purpose", purpose, "accountLocked", lockedUntil.isPresent()));
        return new PasswordConfirmation(false, lockedUntil);
    }

    private static byte[] hash(String cookie) {
        return Digests.sha256(cookie.getBytes(StandardCharsets.UTF_8));
    }
}
