package io.hookgate.health;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DeliveryDao;
import io.hookgate.overview.OverviewDao;
import io.hookgate.replay.DeadLetterDao;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The queue's figures for health checks and gauges, read by a background thread every few seconds: a Prometheus
 * scrape or a health check never waits for the database, so they still answer, and say so, while it hangs.
 */
public final class Operations implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);
    static final Duration REFRESH = Duration.ofSeconds(5);
    /** Figures older than this mean the database has not answered the last reads. */
    static final Duration STALE_AFTER = Duration.ofSeconds(20);
    /** Each query's limit: a slow database leaves the figures stale rather than the refresher stuck. */
    private static final int QUERY_TIMEOUT_SECONDS = 5;

    /** Queries behind the figures. */
    public interface Dao {
        /** The oldest delivery that is due and not taken: a stuck worker shows here first (not a disabled destination). */
        @SqlQuery("select min(next_attempt_at) from deliveries where status = 'pending' and not paused and next_attempt_at <= :now and "
            + DeliveryDao.SENDABLE)
        Optional<Instant> oldestOverdue(@Bind("now") Instant now);

        @SqlQuery("select count(*) from dead_letters where " + DeadLetterDao.WAITING)
        long deadLettersWaiting();

        /** When a retention pass last completed, on any instance. */
        @SqlQuery("select max(finished_at) from retention_passes where error is null")
        Optional<Instant> retentionCompleted();
    }

    /** The figures as read at {@code readAt}. */
    public record Figures(long backlog, Duration oldestOverdue, long deadLettersWaiting, Optional<Instant> retentionCompleted,
                          Instant readAt) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Supplier<List<Destination>> circuitsOpenTooLong;
    private final ScheduledExecutorService refresher;
    private volatile Figures figures;
    private volatile String lastFailure = "not read yet";
    private volatile List<Destination> openTooLong = List.of();

    /**
     * {@code circuitsOpenTooLong} names destinations, which may read them from the database: here, not in the health
     * check that reports them.
     */
    public Operations(Jdbi jdbi, Clock clock, Supplier<List<Destination>> circuitsOpenTooLong, MetricRegistry metrics,
                      ScheduledExecutorService refresher) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.circuitsOpenTooLong = circuitsOpenTooLong;
        this.refresher = refresher;
        // absent until first read: an exporter skips a gauge without a number, so no made-up zero is ever scraped
        metrics.register("hookgate.delivery.backlog", (Gauge<Long>) () -> read(Figures::backlog));
        metrics.register("hookgate.delivery.oldest_overdue_seconds", (Gauge<Long>) () -> read(f -> f.oldestOverdue().toSeconds()));
        metrics.register("hookgate.dead_letters.waiting", (Gauge<Long>) () -> read(Figures::deadLettersWaiting));
        metrics.register("hookgate.delivery.figures_age_seconds", (Gauge<Long>) () -> read(f -> age(f).toSeconds()));
        metrics.register("hookgate.retention.last_completed_age_seconds", (Gauge<Long>) () -> read(f -> f.retentionCompleted()
            .map(at -> Duration.between(at, clock.instant()).toSeconds()).orElse(null)));
    }

    @Override
    public void start() {
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest figures, if any were read yet. */
    public Optional<Figures> figures() {
        return Optional.ofNullable(figures);
    }

    /** Destinations whose circuit has been open too long, as last read (none until read). */
    public List<Destination> circuitsOpenTooLong() {
        return openTooLong;
    }

    /** Why the figures are stale: the latest read's failure, or a read still waiting (a database that does not answer). */
    public String lastFailure() {
        String failure = lastFailure;
        return failure == null ? "the latest read is still waiting for the database" : failure;
    }

    public Duration age(Figures read) {
        return Duration.between(read.readAt(), clock.instant());
    }

    public boolean isStale(Figures read) {
        return age(read).compareTo(STALE_AFTER) > 0;
    }

    void refresh() {
        try {
            Instant now = clock.instant();
            figures = jdbi.withHandle(handle -> {
                handle.getConfig(SqlStatements.class).setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                Dao dao = handle.attach(Dao.class);
                Duration overdue = dao.oldestOverdue(now).map(due -> Duration.between(due, now)).orElse(Duration.ZERO);
                long backlog = handle.attach(OverviewDao.class).backlog(null).total(); // every tenant's, as the dashboard counts it
                return new Figures(backlog, overdue, dao.deadLettersWaiting(), dao.retentionCompleted(), now);
            });
            lastFailure = null;
        } catch (RuntimeException e) {
            lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("Could not read the delivery figures: {}", e.toString());
        }
        try {
            openTooLong = circuitsOpenTooLong.get();
        } catch (RuntimeException e) {
            LOG.warn("Could not name the destinations whose circuit is open: {}", e.toString()); // the last list stands
        }
    }

    private Long read(Function<Figures, Long> figure) {
        Figures read = figures;
        return read == null ? null : figure.apply(read);
    }
}
