package io.hookgate.health;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.MetricRegistry;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The queue's state for health checks and gauges, read at most every few seconds however often it is asked. */
public final class Operations {

    /** Queries behind the figures. */
    public interface Dao {
        @SqlQuery("select count(*) from deliveries where status = 'pending'")
        long backlog();

        /** The oldest delivery that is due and not taken: a stuck worker shows here first. */
        @SqlQuery("select min(next_attempt_at) from deliveries where status = 'pending' and next_attempt_at <= :now")
        Optional<Instant> oldestOverdue(@Bind("now") Instant now);

        @SqlQuery("select count(*) from dead_letters where replayed_at is null")
        long deadLettersWaiting();
    }

    private final CachedGauge<Long> backlog;
    private final CachedGauge<Long> overdueSeconds;
    private final CachedGauge<Long> deadLetters;

    public Operations(Jdbi jdbi, Clock clock, MetricRegistry metrics) {
        this.backlog = metrics.register("hookgate.delivery.backlog", new CachedGauge<>(5, TimeUnit.SECONDS) {
            @Override
            protected Long loadValue() {
                return jdbi.withExtension(Dao.class, Dao::backlog);
            }
        });
        this.overdueSeconds = metrics.register("hookgate.delivery.oldest_overdue_seconds", new CachedGauge<>(5, TimeUnit.SECONDS) {
            @Override
            protected Long loadValue() {
                Instant now = clock.instant();
                return jdbi.withExtension(Dao.class, dao -> dao.oldestOverdue(now)).map(t -> Duration.between(t, now).toSeconds()).orElse(0L);
            }
        });
        this.deadLetters = metrics.register("hookgate.dead_letters.waiting", new CachedGauge<>(5, TimeUnit.SECONDS) {
            @Override
            protected Long loadValue() {
                return jdbi.withExtension(Dao.class, Dao::deadLettersWaiting);
            }
        });
    }

    public long backlog() {
        return backlog.getValue();
    }

    public Duration oldestOverdue() {
        return Duration.ofSeconds(overdueSeconds.getValue());
    }

    public long deadLettersWaiting() {
        return deadLetters.getValue();
    }
}
