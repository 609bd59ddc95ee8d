package io.hookgate.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookgate.support.SecretBox;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Callback token to tenant, with KEYs decrypted once and kept for a few seconds, so a notification costs no
 * lookup or decryption. Unknown tokens are cached too, so a flood of guesses does not reach the database.
 * Another instance's change is seen within {@code ttl}; a signature that fails against a cached entry is
 * checked once more against fresh data (see {@link #reload}), so a KEY rotated elsewhere never causes a 401.
 */
public final class TenantDirectory {

    private final Jdbi jdbi;
    private final SecretBox secrets;
    private final Clock clock;
    private final Cache<String, Optional<CallbackTenant>> byToken;

    public TenantDirectory(Jdbi jdbi, SecretBox secrets, Clock clock, Duration ttl) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.clock = clock;
        this.byToken = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
    }

    public Optional<CallbackTenant> find(String token) {
        return byToken.get(token, this::load);
    }

    public Optional<CallbackTenant> reload(String token) {
        Optional<CallbackTenant> fresh = load(token);
        byToken.put(token, fresh);
        return fresh;
    }

    public void forget(String token) {
        byToken.invalidate(token);
    }

    private Optional<CallbackTenant> load(String token) {
        Instant now = clock.instant();
        return jdbi.withExtension(TenantDao.class, dao -> dao.findByToken(token).map(tenant -> new CallbackTenant(
            tenant.id(), tenant.status(), tenant.acceptUnsigned(),
            dao.validKeys(tenant.id(), now).stream()
                .map(row -> new CallbackTenant.VerificationKey(secrets.open(row.keyCiphertext()).getBytes(StandardCharsets.UTF_8),
                    row.validUntil()))
                .toList())));
    }
}
