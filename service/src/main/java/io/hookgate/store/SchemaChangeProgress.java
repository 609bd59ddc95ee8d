package io.hookgate.store;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Says, while the schema changes at start-up, what PostgreSQL is doing and for how long. An index built on a table of
 * millions of rows takes minutes, and a long transaction can hold a change up for as long: a start that says nothing
 * meanwhile looks hung, and gets killed half way. It watches every session named {@link #APPLICATION_NAME}, this
 * instance's and those of instances waiting for it or migrating in its place.
 */
public final class SchemaChangeProgress implements AutoCloseable {

    /** The {@code application_name} of the sessions that change the schema. */
    public static final String APPLICATION_NAME = "hookgate-migrations";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeProgress.class);
    private static final int MAX_QUERY_CHARS = 160;

    private static final String UNDER_WAY = """
        select extract(epoch from now() - a.query_start)::bigint as seconds, a.wait_event_type, a.query,
               p.phase, p.blocks_done, p.blocks_total,
               (select string_agg(b.pid || ' (' || coalesce(nullif(b.application_name, ''), 'unnamed') || ', its transaction open '
                                  || coalesce(extract(epoch from now() - b.xact_start)::bigint, 0) || ' s)', ', ')
                from pg_stat_activity b where b.pid = any(pg_blocking_pids(a.pid))) as blockers
        from pg_stat_activity a left join pg_stat_progress_create_index p on p.pid = a.pid
        where a.application_name = :name and a.state = 'active' and a.pid <> pg_backend_pid()
          and a.query_start < now() - make_interval(secs => :after)
        order by a.query_start""";

    /** A statement of a schema change, running for {@code seconds}. */
    record Statement(long seconds, String waitEventType, String query, String phase, Long blocksDone, Long blocksTotal,
                     String blockers) {

        /** One line for the operator: what, for how long, and what it waits for or how far it is. */
        String describe() {
            StringBuilder line = new StringBuilder("Schema change under way for ").append(seconds).append(" s: ")
                .append(StatementMessages.abridged(query, MAX_QUERY_CHARS));
            if (blockers != null) {
                line.append("; waiting for a lock held by session ").append(blockers)
                    .append(": it goes on once that transaction ends");
            } else if (phase != null) {
                line.append("; ").append(phase);
                if (blocksTotal != null && blocksTotal > 0) {
                    line.append(String.format(Locale.ROOT, ", %,d of %,d blocks (%d%%)", blocksDone, blocksTotal, 100 * blocksDone / blocksTotal));
                }
            } else if ("Lock".equals(waitEventType)) {
                line.append("; waiting for a lock");
            }
            return line.toString();
        }
    }

    private final Jdbi jdbi;
    private final Duration every;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "schema-change-progress");
        thread.setDaemon(true);
        return thread;
    });

    private SchemaChangeProgress(DataSource dataSource, Duration every) {
        this.jdbi = Jdbi.create(dataSource);
        this.every = every;
    }

    /** Reports, every {@code every}, each schema change statement that has run longer than that, until closed. */
    public static SchemaChangeProgress watch(DataSource dataSource, Duration every) {
        SchemaChangeProgress progress = new SchemaChangeProgress(dataSource, every);
        progress.timer.scheduleWithFixedDelay(progress::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return progress;
    }

    /** The schema change statements running longer than {@code every}, oldest first. */
    List<Statement> underWay() {
        return jdbi.withHandle(handle -> handle.createQuery(UNDER_WAY)
            .bind("name", APPLICATION_NAME)
            .bind("after", every.toMillis() / 1000.0)
            .map((rs, ctx) -> new Statement(rs.getLong("seconds"), rs.getString("wait_event_type"), rs.getString("query"),
                rs.getString("phase"), rs.getObject("blocks_done", Long.class), rs.getObject("blocks_total", Long.class),
                rs.getString("blockers")))
            .list());
    }

    private void report() {
        try {
            underWay().forEach(statement -> LOG.info(statement.describe()));
        } catch (RuntimeException e) {
            LOG.debug("Could not read the schema change's progress", e); // the change itself reports what matters
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
