package io.hookgate.event;

import io.hookgate.store.LongIdArguments;
import io.hookgate.tenant.TenantId;
import io.hookgate.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches list the newest received first, and page through every match once, even where ids are not in the order
 * the notifications arrived (two committers each write what they took, in whichever order they finish).
 */
class EventSearchIT {

    static Jdbi jdbi;
    static long tenant;
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @BeforeAll
    static void schema() throws Exception {
        jdbi = Jdbi.create(TestDatabase.migrated()).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        jdbi.registerArgument(new LongIdArguments());
        jdbi.setTemplateEngine(new NoTemplateEngine()); // as the service runs: the SQL goes as written
        tenant = tenant("Acme");
    }

    @Test
    void eventsAreListedNewestReceivedFirstAndEveryOneIsPagedThroughOnce() {
        // ids 1..6 in the order they were written; received in another order, a few milliseconds apart
        List<String> written = List.of("t-3", "t-1", "t-2", "t-6", "t-4", "t-5");
        for (String task : written) {
            store(task, "order", NOW.minusMillis(100 - Integer.parseInt(task.substring(2))));
        }
        assertThat(allPages(query(Optional.of("order"), Optional.empty(), Optional.empty(), 2)))
            .containsExactly("t-6", "t-5", "t-4", "t-3", "t-2", "t-1");
    }

    @Test
    void aDayLongAgoListsThatDaysEventsOnlyNewestFirst() {
        Instant monthAgo = NOW.minus(Duration.ofDays(30));
        store("before-day", "month", monthAgo.minus(Duration.ofHours(13)));
        store("day-early", "month", monthAgo.minus(Duration.ofHours(11)));
        store("day-late", "month", monthAgo.plus(Duration.ofHours(11)));
        store("after-day", "month", monthAgo.plus(Duration.ofHours(13)));
        store("today", "month", NOW);
        EventQuery day = new EventQuery(Optional.of(new TenantId(tenant)), Optional.empty(), Optional.empty(), Optional.of("case-month"),
            Optional.empty(), Optional.empty(), Optional.of(monthAgo.minus(Duration.ofHours(12))), Optional.of(monthAgo.plus(Duration.ofHours(12))),
            1, Optional.empty());
        assertThat(allPages(day)).containsExactly("day-late", "day-early");
    }

    @Test
    void aTasksEventsAreFoundByTaskIdNewestReceivedFirst() {
        store("task-x", "task", NOW.minusSeconds(5));
        store("task-x", "task", NOW.minusSeconds(50));
        store("task-x", "task", NOW.minusSeconds(20));
        List<Instant> received = new ArrayList<>();
        Optional<EventId> before = Optional.empty();
        do {
            List<EventSummary> page = search(new EventQuery(Optional.empty(), Optional.of("task-x"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1, before));
            page.stream().limit(1).forEach(e -> received.add(e.receivedAt()));
            before = page.size() > 1 ? Optional.of(page.get(0).id()) : Optional.empty();
        } while (before.isPresent());
        assertThat(received).containsExactly(NOW.minusSeconds(5), NOW.minusSeconds(20), NOW.minusSeconds(50));
    }

    @Test
    void aPagesLastEventDeletedSinceStillLeadsToTheOlderOnes() {
        for (int i = 1; i <= 5; i++) {
            store("gone-" + i, "gone", NOW.minusSeconds(60 - i));
        }
        List<EventSummary> first = search(query(Optional.of("gone"), Optional.empty(), Optional.empty(), 2));
        assertThat(first).extracting(EventSummary::taskId).startsWith("gone-5", "gone-4");
        EventId cursor = first.get(1).id();
        jdbi.useHandle(h -> {
            h.execute("delete from event_calls where event_id = ?", cursor.value());
            h.execute("delete from events where id = ?", cursor.value()); // as the retention purge does
        });
        EventQuery next = new EventQuery(Optional.of(new TenantId(tenant)), Optional.empty(), Optional.empty(), Optional.of("case-gone"),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 2, Optional.of(cursor));
        assertThat(search(next)).extracting(EventSummary::taskId).containsExactly("gone-3", "gone-2", "gone-1");
    }

    @Test
    void anotherTenantsEventAsACursorTellsNothingOfWhenItArrived() {
        long other = tenant("Other");
        store("mine-early", "mine", NOW.minusSeconds(30));
        long foreign = jdbi.withHandle(h -> h.createQuery("insert into events (tenant_id, kind, signed, body, body_sha256, received_at, "
                + "headers, task_id, call_count) values (:tenant, 'call_completion', true, '\\x7b7d', sha256('foreign'), :at, '{}', 'foreign', 0) "
                + "returning id")
            .bind("tenant", other).bind("at", NOW.minusSeconds(10)).mapTo(Long.class).one());
        store("mine-late", "mine", NOW.minusSeconds(20));
        EventQuery afterForeign = new EventQuery(Optional.of(new TenantId(tenant)), Optional.empty(), Optional.empty(), Optional.of("case-mine"),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 10, Optional.of(new EventId(foreign)));
        assertThat(search(afterForeign)).as("older than it by id, not by its time, which would list mine-late too")
            .extracting(EventSummary::taskId).containsExactly("mine-early");
    }

    private static long tenant(String name) {
        return jdbi.withHandle(h -> h.createQuery("insert into tenants (name, status, callback_token, accept_unsigned, created_at, "
            + "updated_at) values (:name, 'active', 'token-' || :name, true, now(), now()) returning id").bind("name", name)
            .mapTo(Long.class).one());
    }

    private static EventQuery query(Optional<String> caseTag, Optional<Instant> from, Optional<Instant> to, int limit) {
        return new EventQuery(Optional.of(new TenantId(tenant)), Optional.empty(), Optional.empty(), caseTag.map(c -> "case-" + c),
            Optional.empty(), Optional.empty(), from, to, limit, Optional.empty());
    }

    /** The TaskIDs of every page, following each page's last event as the next one's cursor. */
    private static List<String> allPages(EventQuery first) {
        List<String> tasks = new ArrayList<>();
        EventQuery query = first;
        while (true) {
            List<EventSummary> found = search(query);
            found.stream().limit(query.limit()).forEach(e -> tasks.add(e.taskId()));
            if (found.size() <= query.limit()) {
                return tasks;
            }
            EventId last = found.get(query.limit() - 1).id();
            query = new EventQuery(query.tenantId(), query.taskId(), query.callId(), query.caseId(), query.callee(), query.kind(),
                query.from(), query.to(), query.limit(), Optional.of(last));
        }
    }

    private static List<EventSummary> search(EventQuery query) {
        return jdbi.withExtension(EventDao.class, dao -> dao.search(query));
    }

    /** An event of TaskID {@code task} whose one call has CaseID "case-{caseTag}", received at {@code at}. */
    private static void store(String task, String caseTag, Instant at) {
        jdbi.useHandle(h -> {
            long id = h.createQuery("insert into events (tenant_id, kind, signed, body, body_sha256, received_at, headers, task_id, call_count) "
                    + "values (:tenant, 'call_completion', true, '\\x7b7d', sha256(convert_to(:task || random()::text, 'UTF8')), :at, '{}', :task, 1) "
                    + "returning id")
                .bind("tenant", tenant).bind("task", task).bind("at", at).mapTo(Long.class).one();
            h.createUpdate("insert into event_calls (tenant_id, event_id, position, call_id, case_id, callee_number) "
                    + "values (:tenant, :id, 0, :call, :case, '+15550100')")
                .bind("tenant", tenant).bind("id", id).bind("call", "call-" + id).bind("case", "case-" + caseTag).execute();
        });
    }
}
