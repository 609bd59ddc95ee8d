package io.hookgate.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookgate.support.SecretBox;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Destinations with their decrypted headers and secrets, cached briefly for the worker's hot path. */
final class DestinationDirectory {

    private final Jdbi jdbi;
    private final DestinationCodec codec;
    private final SecretBox secrets;
    private final Clock clock;
    private final Cache<DestinationId, Optional<SendTarget>> cache;

    DestinationDirectory(Jdbi jdbi, DestinationCodec codec, SecretBox secrets, Clock clock, Duration ttl) {
        this.jdbi = jdbi;
        this.codec = codec;
        this.secrets = secrets;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(50_000).build();
    }

    Optional<SendTarget> find(DestinationId id) {
        return cache.get(id, this::load);
    }

    void forget(DestinationId id) {
        cache.invalidate(id);
    }

    private Optional<SendTarget> load(DestinationId id) {
        return jdbi.withExtension(DestinationDao.class, dao -> dao.find(id).map(row -> new SendTarget(codec.destination(row),
            dao.validSecrets(id, clock.instant()).stream().map(secrets::open).toList(), row.deletedAt() != null)));
    }
}
