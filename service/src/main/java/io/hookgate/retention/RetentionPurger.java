package io.hookgate.retention;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.hookgate.auth.Actor;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    /** Passes are recorded for staff to look back on; older records go. */
    private static final Duration KEEP_PASSES = Duration.ofDays(30);
    /** A tenant with a long backlog to delete says how far it got this often, in the log as in the pass's record. */
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

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

    /**
     * One full pass over every tenant; returns the number of events deleted. The pass records its progress after each
     * batch, so its state is visible from any instance while it runs. One pass at a time in an instance: the admin
     * task waits for a scheduled pass under way, rather than splitting the work with it and reporting part of it.
     */
    public synchronized long purgeOnce() {
        Instant now = clock.instant();
        Instant deadLetterCutoff = now.minus(settings.deadLetters());
        List<RetentionDao.TenantRetention> all = jdbi.withExtension(RetentionDao.class, RetentionDao::tenants);
        Progress progress = new Progress(jdbi.withExtension(RetentionDao.class, dao -> dao.startPass(now, all.size())));
        LOG.info("Retention pass {} started over {} tenants: events received before {} go (a tenant's own retention wins)", progress.pass,
            all.size(), now.minus(settings.events()));
        try {
            for (RetentionDao.TenantRetention tenant : all) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("the service stopped during the pass");
                }
                purgeTenant(tenant, now, deadLetterCutoff, progress);
                progress.tenantDone();
            }
            jdbi.useExtension(RetentionDao.class, dao -> {
                dao.purgeSessions(now);
                dao.purgeFlashes(now);
                dao.prunePasses(now.minus(KEEP_PASSES));
                dao.finishPass(progress.pass, clock.instant(), null);
            });
            LOG.info("Retention pass {} completed in {} s: {} events deleted", progress.pass, Duration.between(now, clock.instant()).toSeconds(),
                progress.deleted);
        } catch (RuntimeException e) {
            finishFailed(progress.pass, e);
            throw e;
        } finally {
            deleted.inc(progress.deleted);
        }
        return progress.deleted;
    }

    /** How far a pass got, recorded in its row after each batch and each tenant. */
    private final class Progress {
        final long pass;
        int tenantsDone;
        long deleted;

        Progress(long pass) {
            this.pass = pass;
        }

        void deleted(int batch) {
            deleted += batch;
            record();
        }

        void tenantDone() {
            tenantsDone++;
            record();
        }

        private void record() {
            jdbi.useExtension(RetentionDao.class, dao -> dao.passProgress(pass, tenantsDone, deleted, clock.instant()));
        }
    }

    /** Best effort: the database may be what failed. */
    private void finishFailed(long pass, RuntimeException failure) {
        try {
            // never null: a pass with no error reads as completed
            String error = failure.getMessage() == null ? failure.toString() : failure.getMessage();
            jdbi.useExtension(RetentionDao.class, dao -> dao.finishPass(pass, clock.instant(), error));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void purgeTenant(RetentionDao.TenantRetention tenant, Instant now, Instant deadLetterCutoff, Progress progress) {
        Duration keep = tenant.retentionDays() == null ? settings.events() : Duration.ofDays(tenant.retentionDays());
        Instant cutoff = now.minus(keep);
        long forTenant = 0;
        Instant afterAt = Instant.EPOCH;
        long afterId = 0;
        Instant logged = clock.instant();
        RetentionDao.Batch batch;
        try (var about = MDC.putCloseable("tenantId", String.valueOf(tenant.tenantId()))) {
            do {
                Instant from = afterAt;
                long fromId = afterId;
                long started = System.nanoTime();
                batch = jdbi.withExtension(RetentionDao.class, dao -> dao.purgeEvents(tenant.tenantId(), cutoff, deadLetterCutoff, from,
                    fromId, settings.batchSize()));
                if (batch.deleted() == 0) {
                    break;
                }
                forTenant += batch.deleted();
                afterAt = batch.lastReceivedAt();
                afterId = batch.lastId();
                progress.deleted(batch.deleted());
                if (Duration.between(logged, clock.instant()).compareTo(LOG_EVERY) >= 0) {
                    logged = clock.instant();
                    LOG.info("Retention: {} events of tenant {} deleted so far, up to those received at {}", forTenant, tenant.tenantId(), afterAt);
                }
                if (batch.deleted() == settings.batchSize()) {
                    pauseAsLongAs(Duration.ofNanos(System.nanoTime() - started));
                }
            } while (batch.deleted() == settings.batchSize() && !Thread.currentThread().isInterrupted());
            if (forTenant > 0) {
                LOG.info("Retention: deleted {} events of tenant {} received before {}", forTenant, tenant.tenantId(), cutoff);
            }
        }
    }

    /**
     * Rests after a batch as long as it took (at most {@link #LONGEST_PAUSE}): a large backlog is deleted at half the
     * pace the database could go, leaving the other half of its CPU and WAL to ingest and delivery. On 2.4 million
     * events, a pass deleting back to back raised the ack p99 at 200 notifications/s from about 11 ms to 16-95 ms.
     */
    private static void pauseAsLongAs(Duration batch) {
        try {
            Thread.sleep(Math.min(batch.toMillis(), LONGEST_PAUSE.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the service stops: the loop ends, and the pass is recorded as failed
        }
    }

    /** The latest passes, newest first, with the state each is in now. */
    public List<RetentionPassView> recentPasses(Actor actor, int limit) {
        actor.requireAllTenants("see the retention purge");
        Instant now = clock.instant();
        List<RetentionPass> passes = jdbi.withExtension(RetentionDao.class, dao -> dao.recentPasses(limit));
        return passes.stream().map(p -> new RetentionPassView(p, p.state(now, settings.interval()))).toList();
    }

    /** Every instance runs a pass this often. */
    public Duration interval() {
        return settings.interval();
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
