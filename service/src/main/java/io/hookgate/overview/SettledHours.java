package io.hookgate.overview;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The dashboard's hours that are over, each counted once: what was received or delivered in an hour that ended a
 * while ago no longer changes, so a view counts only the current hour (and any not seen yet), not 24 hours of events
 * and deliveries each time. Per instance, and lost on restart: the first view after it counts the whole day.
 */
final class SettledHours {

    /** An ingest or an outcome stamped just before the hour's end may commit a little after it. */
    static final Duration SETTLE = Duration.ofMinutes(2);

    /** {@code scope}: a tenant's id, or 0 for every tenant. */
    private record Key(long scope, Instant start) {
    }

    private final Cache<Key, Overview.Hour> hours = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(25)).maximumSize(100_000).build();

    Optional<Overview.Hour> find(Long tenantId, Instant start) {
        return Optional.ofNullable(hours.getIfPresent(new Key(scope(tenantId), start)));
    }

    /** Keeps the hour if it is settled by {@code now}; the current hour is counted again on every view. */
    void offer(Long tenantId, Overview.Hour hour, Instant now) {
        if (!hour.start().plus(1, ChronoUnit.HOURS).plus(SETTLE).isAfter(now)) {
            hours.put(new Key(scope(tenantId), hour.start()), hour);
        }
    }

    private static long scope(Long tenantId) {
        return tenantId == null ? 0 : tenantId;
    }
}
