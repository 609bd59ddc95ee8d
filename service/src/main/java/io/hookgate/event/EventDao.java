package io.hookgate.event;

import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@RegisterRowMapper(EventDao.SummaryMapper.class)
public interface EventDao extends SqlObject {

    String SUMMARY_COLUMNS = "e.id, e.tenant_id, e.kind, e.signed, e.received_at, e.source_ip, e.workflow_id, e.task_id, e.call_count";
    /** Calls shown per event in search results; the event itself lists them all. */
    int CALLS_IN_SUMMARY = 20;

    /** An event just stored, and how many deliveries the outbox created for it. */
    record Inserted(long id, int deliveries) {
    }

    /**
     * Stores the event, its calls and its deliveries (one per enabled destination whose kinds and filter match: the
     * transactional outbox) in one statement, so in one implicit transaction and one round trip. A body already
     * stored for the tenant inserts nothing and returns no row: the unique constraint, not a prior read, decides,
     * so concurrent repeats cannot both insert.
     */
    @SqlQuery("""
        with event as (
            insert into events (tenant_id, kind, signed, body, body_sha256, received_at, source_ip, headers,
                                workflow_id, task_id, call_count)
            values (:tenantId, :kind, :signed, :body, :bodySha256, :receivedAt, :sourceIp, cast(:headers as jsonb),
                    :workflowId, :taskId, :callCount)
            on conflict (tenant_id, body_sha256) do nothing
            returning tenant_id, id, kind, body
        ), calls as (
            insert into event_calls (tenant_id, event_id, position, call_id, case_id, callee_number)
            select event.tenant_id, event.id, c.ord - 1, c.call_id, c.case_id, c.callee_number
            from event, unnest(cast(:callIds as text[]), cast(:caseIds as text[]), cast(:callees as text[]))
                 with ordinality as c (call_id, case_id, callee_number, ord)
        ), outbox as (
            insert into deliveries (tenant_id, event_id, destination_id, webhook_id, status, next_attempt_at, created_at, updated_at)
            select event.tenant_id, event.id, d.id, 'msg_' || event.id || '_' || d.id, 'pending', :receivedAt, :receivedAt, :receivedAt
            from event join destinations d on d.tenant_id = event.tenant_id
            where d.enabled and d.deleted_at is null
              and (cardinality(d.kinds) = 0 or event.kind = any(d.kinds))
              and (d.filter_path is null or hookgate_filter_matches(event.body, d.filter_path))
            returning 1
        )
        select id, (select count(*) from outbox) as deliveries from event
        """)
    @RegisterRowMapper(InsertedMapper.class)
    Optional<Inserted> insert(@Bind("tenantId") TenantId tenantId, @Bind("kind") String kind, @Bind("signed") boolean signed,
                              @Bind("body") byte[] body, @Bind("bodySha256") byte[] bodySha256,
                              @Bind("receivedAt") Instant receivedAt, @Bind("sourceIp") String sourceIp,
                              @Bind("headers") String headersJson, @Bind("workflowId") String workflowId,
                              @Bind("taskId") String taskId, @Bind("callCount") int callCount,
                              @Bind("callIds") String[] callIds, @Bind("caseIds") String[] caseIds,
                              @Bind("callees") String[] callees);

    @SqlQuery("select " + SUMMARY_COLUMNS + " from events e where e.id = :id")
    Optional<EventSummary> find(@Bind("id") EventId id);

    /** What an event holds besides its summary: the raw body, its digest and the headers kept. */
    record Content(byte[] body, byte[] bodySha256, String headersJson) {
    }

    @SqlQuery("select body, body_sha256, cast(headers as text) as headers from events where tenant_id = :tenantId and id = :id")
    @RegisterRowMapper(ContentMapper.class)
    Content content(@Bind("tenantId") TenantId tenantId, @Bind("id") EventId id);

    /** Newest first, keyset-paginated on id; fetches one row more than the limit to know if a next page exists. */
    default List<EventSummary> search(EventQuery q) {
        StringBuilder sql = new StringBuilder("select ").append(SUMMARY_COLUMNS).append(" from events e where true");
        Map<String, Object> binds = new LinkedHashMap<>();
        q.tenantId().ifPresent(v -> condition(sql, binds, " and e.tenant_id = :tenantId", "tenantId", v.value()));
        q.taskId().ifPresent(v -> condition(sql, binds, " and e.task_id = :taskId", "taskId", v));
        q.kind().ifPresent(v -> condition(sql, binds, " and e.kind = :kind", "kind", v.wireName()));
        q.from().ifPresent(v -> condition(sql, binds, " and e.received_at >= :from", "from", v));
        q.to().ifPresent(v -> condition(sql, binds, " and e.received_at < :to", "to", v));
        q.before().ifPresent(v -> condition(sql, binds, " and e.id < :before", "before", v.value()));
        q.callId().ifPresent(v -> condition(sql, binds, callFilter("call_id", "callId"), "callId", v));
        q.caseId().ifPresent(v -> condition(sql, binds, callFilter("case_id", "caseId"), "caseId", v));
        q.callee().ifPresent(v -> condition(sql, binds, callFilter("callee_number", "callee"), "callee", v));
        sql.append(" order by e.id desc limit :limit");
        binds.put("limit", q.limit() + 1);
        Query query = getHandle().createQuery(sql.toString());
        binds.forEach(query::bind);
        List<EventSummary> found = query.map(new SummaryMapper()).list();
        return withCalls(found);
    }

    default List<EventSummary> withCalls(List<EventSummary> events) {
        if (events.isEmpty()) {
            return events;
        }
        Long[] tenants = events.stream().map(e -> e.tenantId().value()).distinct().toArray(Long[]::new);
        Long[] ids = events.stream().map(e -> e.id().value()).toArray(Long[]::new);
        Map<Long, List<CallRef>> calls = new LinkedHashMap<>();
        getHandle().createQuery("select event_id, call_id, case_id, callee_number from event_calls "
                + "where tenant_id = any(:tenants) and event_id = any(:ids) and position < :max order by event_id, position")
            .bindArray("tenants", Long.class, (Object[]) tenants)
            .bindArray("ids", Long.class, (Object[]) ids)
            .bind("max", CALLS_IN_SUMMARY)
            .map((rs, ctx) -> Map.entry(rs.getLong("event_id"),
                new CallRef(rs.getString("call_id"), rs.getString("case_id"), rs.getString("callee_number"))))
            .forEach(e -> calls.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return events.stream().map(e -> e.withCalls(calls.getOrDefault(e.id().value(), List.of()))).toList();
    }

    @SqlQuery("select call_id, case_id, callee_number from event_calls where tenant_id = :tenantId and event_id = :id order by position")
    @RegisterRowMapper(CallMapper.class)
    List<CallRef> calls(@Bind("tenantId") TenantId tenantId, @Bind("id") EventId id);

    private static void condition(StringBuilder sql, Map<String, Object> binds, String clause, String name, Object value) {
        sql.append(clause);
        binds.put(name, value);
    }

    private static String callFilter(String column, String parameter) {
        // "e.id in (…)" rather than a correlated exists: the planner starts from the indexed calls
        return " and (e.tenant_id, e.id) in (select c.tenant_id, c.event_id from event_calls c where c." + column + " = :" + parameter + ")";
    }

    final class SummaryMapper implements RowMapper<EventSummary> {
        @Override
        public EventSummary map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new EventSummary(new EventId(rs.getLong("id")), new TenantId(rs.getLong("tenant_id")),
                EventKind.fromWireName(rs.getString("kind")).orElse(EventKind.UNKNOWN), rs.getBoolean("signed"),
                rs.getTimestamp("received_at").toInstant(), rs.getString("source_ip"), rs.getString("workflow_id"),
                rs.getString("task_id"), rs.getInt("call_count"), List.of());
        }
    }

    final class InsertedMapper implements RowMapper<Inserted> {
        @Override
        public Inserted map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Inserted(rs.getLong("id"), rs.getInt("deliveries"));
        }
    }

    final class ContentMapper implements RowMapper<Content> {
        @Override
        public Content map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Content(rs.getBytes("body"), rs.getBytes("body_sha256"), rs.getString("headers"));
        }
    }

    final class CallMapper implements RowMapper<CallRef> {
        @Override
        public CallRef map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new CallRef(rs.getString("call_id"), rs.getString("case_id"), rs.getString("callee_number"));
        }
    }
}
