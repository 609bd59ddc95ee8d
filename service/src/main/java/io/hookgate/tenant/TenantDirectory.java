package io.hookgate.tenant;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookgate.store.StoreUnavailableException;
import io.hookgate.support.SecretBox;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Callback token to tenant, with KEYs decrypted once and kept for a few seconds, so a notification costs no
 * lookup or decryption. Unknown tokens are cached too, so a flood of guesses does not reach the database.
 * Another instance's change is seen within {@code ttl}; a signature that fails against a cached entry is
 * checked once more against fresh data (see {@link #reload}), so a KEY rotated elsewhere never causes a 401.
 * <p>
 * A lookup that misses the cache waits for the database at most {@code lookupTimeout}, then fails as unavailable: a
 * database that hangs (rather than refusing connections) must still get AIRUDDER a 503 within its 10 s, not a
 * request thread stuck until the database comes back. Concurrent misses of one token share one lookup, as before the
 * timeout: when a busy tenant's entry expires, its next requests do not each query the database.
 */
public final class TenantDirectory {

    private final Jdbi jdbi;
    private final SecretBox secrets;
    private final Clock clock;
    private final AsyncCache<String, Lookup> byToken;
    private final Duration lookupTimeout;
    /** Threads of their own, so a hung query holds one of these rather than the request's. */
    private final ExecutorService lookups = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "tenant-lookup");
        thread.setDaemon(true);
        return thread;
    });

    public TenantDirectory(Jdbi jdbi, SecretBox secrets, Clock clock, Duration ttl, Duration lookupTimeout) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.clock = clock;
        this.byToken = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).buildAsync();
        this.lookupTimeout = lookupTimeout;
    }

    /** @throws StoreUnavailableException when the database does not answer within the lookup timeout */
    public Optional<CallbackTenant> find(String token) {
        return await(token, byToken.get(token, (key, executor) -> lookUp(key)));
    }

    /** @throws StoreUnavailableException when the database does not answer within the lookup timeout */
    public Optional<CallbackTenant> reload(String token) {
        CompletableFuture<Lookup> fresh = lookUp(token);
        byToken.put(token, fresh);
        return await(token, fresh);
    }

    public void forget(String token) {
        byToken.synchronous().invalidate(token);
    }

    /**
     * A lookup's outcome, failure included: a future that failed would make the cache log a stack trace for every request
     * while the database is down, where the caller already answers 503 and logs one line.
     */
    private record Lookup(Optional<CallbackTenant> tenant, RuntimeException failure) {
    }

    private CompletableFuture<Lookup> lookUp(String token) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Lookup(load(token), null);
            } catch (RuntimeException e) {
                return new Lookup(Optional.empty(), e);
            }
        }, lookups);
    }

    /** A lookup that fails is not cached, so the next request tries again. */
    private Optional<CallbackTenant> await(String token, CompletableFuture<Lookup> loading) {
        Lookup lookup;
        try {
            lookup = loading.get(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("the database did not answer the tenant lookup within " + lookupTimeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while looking up the tenant");
        }
        if (lookup.failure() != null) {
            byToken.asMap().remove(token, loading);
            throw lookup.failure();
        }
        return lookup.tenant();
    }

    /**
     * The tenant's last KEYs no longer valid, the latest first: read only to tell why a signature failed (a KEY
     * rotated in Hookgate but not yet in AIRUDDER), never to accept one.
     */
    public List<CallbackTenant.VerificationKey> retiredKeys(TenantId tenant, int limit) {
        return jdbi.withExtension(TenantDao.class, dao -> dao.retiredKeys(tenant, clock.instant(), limit)).stream()
            .map(row -> new CallbackTenant.VerificationKey(secrets.open(row.keyCiphertext()).getBytes(StandardCharsets.UTF_8),
                row.validUntil()))
            .toList();
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
