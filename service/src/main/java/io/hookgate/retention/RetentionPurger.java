package io.hookgate.retention;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes what is older than the retention: events (per-tenant override, else the default) with their calls,
 * deliveries and attempts; dead letters when replayed or older than their own, longer retention. Runs on a
 * schedule in small batches, each its own short transaction, and logs what it removed.
 */
public final class RetentionPurger implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurger.class);
    /** A pass that failed (the database away for a moment) is tried again this soon, not a whole interval later. */
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    /** From config.yml's retention section. */
    public record Settings(Duration events, Duration deadLetters, Duration interval, int batchSize) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Settings settings;
    private final Counter deleted;
    private ScheduledExecutorService scheduler;

    public RetentionPurger(Jdbi jdbi, Clock clock, Settings settings, MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.settings = settings;
        this.deleted = metrics.counter("hookgate.retention.events_deleted");
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention-purger");
            t.setDaemon(true);
            return t;
        });
        scheduler.schedule(this::runAndReschedule, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One full pass over every tenant; returns the number of events deleted. */
    public long purgeOnce() {
        Instant now = clock.instant();
        Instant deadLetterCutoff = now.minus(settings.deadLetters());
        long total = 0;
        for (RetentionDao.TenantRetention tenant : jdbi.withExtension(RetentionDao.class, RetentionDao::tenants)) {
            Duration keep = tenant.retentionDays() == null ? settings.events() : Duration.ofDays(tenant.retentionDays());
            Instant cutoff = now.minus(keep);
            long forTenant = 0;
            int batch;
            do {
                batch = jdbi.withExtension(RetentionDao.class, dao -> dao.purgeEvents(tenant.tenantId(), cutoff, deadLetterCutoff,
                    settings.batchSize()));
                forTenant += batch;
            } while (batch == settings.batchSize() && !Thread.currentThread().isInterrupted());
            if (forTenant > 0) {
                LOG.info("Retention: deleted {} events of tenant {} received before {}", forTenant, tenant.tenantId(), cutoff);
            }
            total += forTenant;
        }
        jdbi.useExtension(RetentionDao.class, dao -> {
            dao.purgeSessions(now);
            dao.purgeFlashes(now);
        });
        deleted.inc(total);
        return total;
    }

    private void runAndReschedule() {
        Duration next = settings.interval();
        try {
            purgeOnce();
        } catch (RuntimeException e) {
            next = next.compareTo(RETRY_AFTER_FAILURE) < 0 ? next : RETRY_AFTER_FAILURE;
            LOG.warn("Retention purge failed; it runs again in {}: {}", next, e.toString());
        }
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::runAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
