package io.hookgate.event;

import io.hookgate.store.ColumnStatement;
import io.hookgate.store.ColumnStatement.Column;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@RegisterRowMapper(EventDao.SummaryMapper.class)
public interface EventDao extends SqlObject {

    String SUMMARY_COLUMNS = "e.id, e.tenant_id, e.kind, e.signed, e.received_at, e.source_ip, e.workflow_id, e.task_id, e.call_count";
    /** Calls shown per event in search results; the event itself lists them all. */
    int CALLS_IN_SUMMARY = 20;

    /** Between a call's redial CallIDs on their way to {@code event_calls.redial_call_ids} ({@code chr(31)} there). */
    String REDIAL_SEPARATOR = "\u001f";

    /** An event to insert, with its kept headers already as JSON. */
    record Row(NewEvent event, String headersJson) {
    }

    /**
     * An event just stored: its index in the batch given to {@link #insertAll}, its id, how many deliveries it got and
     * which of them were written under the lease.
     */
    record Inserted(int index, long id, int deliveries, List<Held> held) {
    }

    /** A delivery written under the lease: its id, its destination and its webhook-id. */
    record Held(long deliveryId, long destinationId, String webhookId) {
    }

    /**
     * Stores a batch of events, their calls and their deliveries (one per enabled destination whose kinds and filter
     * match: the transactional outbox) in one statement, so in one transaction and one round trip, whatever the batch
     * size. An event whose body the tenant already has inserts nothing and returns no row: the unique constraint, not a
     * prior read, decides, so concurrent repeats cannot both insert. Rows must not repeat a (tenant, body) pair.
     * <p>
     * With a lease, the deliveries to destinations it does not leave out are written already held by the delivery
     * worker it came from, as its own claim would have left them (due again when the lease ends), and returned.
     */
    String INSERT_ALL = """
        with input as (
            select * from unnest(cast(? as bigint[]), cast(? as text[]), cast(? as boolean[]), cast(? as bytea[]),
                                 cast(? as bytea[]), cast(? as bigint[]), cast(? as text[]), cast(? as text[]),
                                 cast(? as text[]), cast(? as text[]), cast(? as integer[]))
                with ordinality as i (tenant_id, kind, signed, body, body_sha256, received_us, source_ip, headers,
                                      workflow_id, task_id, call_count, n)
        ), event as (
            insert into events (tenant_id, kind, signed, body, body_sha256, received_at, source_ip, headers,
                                workflow_id, task_id, call_count)
            select tenant_id, kind, signed, body, body_sha256, timestamptz 'epoch' + received_us * interval '1 microsecond',
                   source_ip, cast(headers as jsonb), workflow_id, task_id, call_count
            from input order by n
            on conflict (tenant_id, body_sha256) do nothing
            returning tenant_id, id, kind, body, body_sha256, received_at
        ), stored as (
            select event.*, input.n from event join input using (tenant_id, body_sha256)
        ), calls as (
            insert into event_calls (tenant_id, event_id, position, call_id, case_id, callee_number, redial_call_ids)
            select stored.tenant_id, stored.id, c.position, c.call_id, c.case_id, c.callee_number, string_to_array(c.redials, chr(31))
            from stored join unnest(cast(? as integer[]), cast(? as integer[]), cast(? as text[]), cast(? as text[]),
                                    cast(? as text[]), cast(? as text[])) as c (n, position, call_id, case_id, callee_number, redials)
                 on c.n = stored.n
        ), lease as (
            select cast(? as uuid) as token, timestamptz 'epoch' + cast(? as bigint) * interval '1 microsecond' as until,
                   cast(? as bigint[]) as left_out
        ), outbox as (
            insert into deliveries (tenant_id, event_id, destination_id, webhook_id, status, next_attempt_at, lease_token,
                                    created_at, updated_at)
            select stored.tenant_id, stored.id, d.id, 'msg_' || encode(substring(stored.body_sha256 from 1 for 12), 'hex') || '_' || d.id, 'pending',
                   case when held then lease.until else stored.received_at end, case when held then lease.token end,
                   stored.received_at, stored.received_at
            from stored join destinations d on d.tenant_id = stored.tenant_id cross join lease
                 cross join lateral (select lease.token is not null and d.id <> all(lease.left_out) as held) h
            where d.enabled and d.deleted_at is null
              and (cardinality(d.kinds) = 0 or stored.kind = any(d.kinds))
              and (d.filter_path is null or hookgate_filter_matches(stored.body, d.filter_path))
            returning event_id, id, destination_id, webhook_id, lease_token is not null as held
        ), per_event as (
            select event_id, count(*) as deliveries,
                   array_agg(id order by id) filter (where held) as held_ids,
                   array_agg(destination_id order by id) filter (where held) as held_destinations,
                   array_agg(webhook_id order by id) filter (where held) as held_webhook_ids
            from outbox group by event_id
        )
        -- a join, not a correlated count: that would scan the whole outbox once per stored event
        select stored.n, stored.id, coalesce(per_event.deliveries, 0) as deliveries, held_ids, held_destinations, held_webhook_ids
        from stored left join per_event on per_event.event_id = stored.id
        """;

    /**
     * A {@link ColumnStatement} rather than a SqlObject method: the batch travels as one array per column (the driver
     * encodes byte[][] as bytea[] itself), and the hot path does not pay for attaching this interface per batch.
     */
    static List<Inserted> insertAll(Connection connection, List<Row> rows, Optional<DeliveryHandoff.Lease> lease) {
        int n = rows.size();
        Long[] tenantIds = new Long[n];
        String[] kinds = new String[n];
        Boolean[] signed = new Boolean[n];
        byte[][] bodies = new byte[n][];
        byte[][] digests = new byte[n][];
        Long[] receivedMicros = new Long[n];
        String[] sourceIps = new String[n];
        String[] headers = new String[n];
        String[] workflowIds = new String[n];
        String[] taskIds = new String[n];
        Integer[] callCounts = new Integer[n];
        List<Integer> callEvent = new ArrayList<>();
        List<Integer> callPosition = new ArrayList<>();
        List<String> callIds = new ArrayList<>();
        List<String> caseIds = new ArrayList<>();
        List<String> callees = new ArrayList<>();
        List<String> redials = new ArrayList<>(); // each call's, joined by U+001F: unnest cannot take an array per row
        for (int i = 0; i < n; i++) {
            NewEvent e = rows.get(i).event();
            tenantIds[i] = e.tenantId().value();
            kinds[i] = e.kind().wireName();
            signed[i] = e.signed();
            bodies[i] = e.body();
            digests[i] = e.bodySha256();
            receivedMicros[i] = ColumnStatement.micros(e.receivedAt());
            sourceIps[i] = e.sourceIp();
            headers[i] = rows.get(i).headersJson();
            workflowIds[i] = e.workflowId();
            taskIds[i] = e.taskId();
            callCounts[i] = e.callCount();
            for (int position = 0; position < e.calls().size(); position++) {
                CallRef call = e.calls().get(position);
                callEvent.add(i + 1); // "with ordinality" counts from 1
                callPosition.add(position);
                callIds.add(call.callId());
                caseIds.add(call.caseId());
                callees.add(call.calleeNumber());
                redials.add(call.redialCallIds().isEmpty() ? null : String.join(REDIAL_SEPARATOR, call.redialCallIds()));
            }
        }
        List<Column> columns = List.of(new Column("int8", tenantIds), new Column("text", kinds), new Column("bool", signed),
            new Column("bytea", bodies), new Column("bytea", digests), new Column("int8", receivedMicros), new Column("text", sourceIps),
            new Column("text", headers), new Column("text", workflowIds), new Column("text", taskIds), new Column("int4", callCounts),
            new Column("int4", callEvent.toArray(Integer[]::new)), new Column("int4", callPosition.toArray(Integer[]::new)),
            new Column("text", callIds.toArray(String[]::new)), new Column("text", caseIds.toArray(String[]::new)),
            new Column("text", callees.toArray(String[]::new)), new Column("text", redials.toArray(String[]::new)));
        List<Object> parameters = new ArrayList<>(columns);
        parameters.add(lease.map(DeliveryHandoff.Lease::token).orElse(null));
        parameters.add(lease.map(l -> ColumnStatement.micros(l.until())).orElse(null));
        parameters.add(new Column("int8", lease.map(l -> Arrays.stream(l.destinationsLeftOut()).boxed().toArray(Long[]::new))
            .orElseGet(() -> new Long[0])));
        return ColumnStatement.query(connection, INSERT_ALL, parameters,
            rs -> new Inserted(rs.getInt("n") - 1, rs.getLong("id"), rs.getInt("deliveries"), held(rs)));
    }

    private static List<Held> held(ResultSet rs) throws SQLException {
        Array ids = rs.getArray("held_ids");
        if (ids == null) {
            return List.of();
        }
        Long[] deliveries = (Long[]) ids.getArray();
        Long[] destinations = (Long[]) rs.getArray("held_destinations").getArray();
        String[] webhookIds = (String[]) rs.getArray("held_webhook_ids").getArray();
        List<Held> held = new ArrayList<>(deliveries.length);
        for (int i = 0; i < deliveries.length; i++) {
            held.add(new Held(deliveries[i], destinations[i], webhookIds[i]));
        }
        return held;
    }

    @SqlQuery("select " + SUMMARY_COLUMNS + " from events e where e.id = :id")
    Optional<EventSummary> find(@Bind("id") EventId id);

    /** What an event holds besides its summary: the raw body, its digest and the headers kept. */
    record Content(byte[] body, byte[] bodySha256, String headersJson) {
    }

    @SqlQuery("select body, body_sha256, cast(headers as text) as headers from events where tenant_id = :tenantId and id = :id")
    @RegisterRowMapper(ContentMapper.class)
    Content content(@Bind("tenantId") TenantId tenantId, @Bind("id") EventId id);

    /**
     * Newest received first, keyset-paginated after the event {@code before} (a page's last); fetches one row more than
     * the limit to know if a next page exists. By time rather than by id: a search of one day a month ago reads that
     * day from the {@code received_at} index, where walking the ids down from the newest read every event since.
     */
    default List<EventSummary> search(EventQuery q) {
        StringBuilder sql = new StringBuilder("select ").append(SUMMARY_COLUMNS).append(" from events e where true");
        Map<String, Object> binds = new LinkedHashMap<>();
        q.tenantId().ifPresent(v -> condition(sql, binds, " and e.tenant_id = :tenantId", "tenantId", v.value()));
        q.taskId().ifPresent(v -> condition(sql, binds, " and e.task_id = :taskId", "taskId", v));
        q.kind().ifPresent(v -> condition(sql, binds, " and e.kind = :kind", "kind", v.wireName()));
        q.from().ifPresent(v -> condition(sql, binds, " and e.received_at >= :from", "from", v));
        q.to().ifPresent(v -> condition(sql, binds, " and e.received_at < :to", "to", v));
        q.before().ifPresent(v -> {
            // looked up among the events searched: another tenant's event id tells a tenant admin nothing of its time
            Optional<Instant> at = getHandle().createQuery("select received_at from events where id = :id"
                    + " and (cast(:tenantId as bigint) is null or tenant_id = :tenantId)")
                .bind("id", v.value()).bind("tenantId", q.tenantId().map(TenantId::value).orElse(null))
                .mapTo(Instant.class).findOne();
            if (at.isPresent()) {
                // the first part lets the received_at index start at the cursor; the row comparison orders the ties by id
                condition(sql, binds, " and e.received_at <= :beforeAt and (e.received_at, e.id) < (:beforeAt, :before)", "before", v.value());
                binds.put("beforeAt", at.get());
            } else {
                // the page's last event was deleted since (retention): the events older than it by id, as ids follow time
                condition(sql, binds, " and e.id < :before", "before", v.value());
            }
        });
        // a redial's CallID finds its call too: AIRUDDER shows it for that dial
        q.callId().ifPresent(v -> condition(sql, binds, callFilter("c.call_id = :callId or c.redial_call_ids @> array[cast(:callId as text)]"),
            "callId", v));
        q.caseId().ifPresent(v -> condition(sql, binds, callFilter("c.case_id = :caseId"), "caseId", v));
        q.callee().ifPresent(v -> calleeCondition(sql, binds, CalleeNumbers.search(v)));
        sql.append(" order by e.received_at desc, e.id desc limit :limit");
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
        getHandle().createQuery("select event_id, call_id, case_id, callee_number, redial_call_ids from event_calls "
                + "where tenant_id = any(:tenants) and event_id = any(:ids) and position < :max order by event_id, position")
            .bindArray("tenants", Long.class, (Object[]) tenants)
            .bindArray("ids", Long.class, (Object[]) ids)
            .bind("max", CALLS_IN_SUMMARY)
            .map((rs, ctx) -> Map.entry(rs.getLong("event_id"), new CallMapper().map(rs, ctx)))
            .forEach(e -> calls.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return events.stream().map(e -> e.withCalls(calls.getOrDefault(e.id().value(), List.of()))).toList();
    }

    @SqlQuery("select call_id, case_id, callee_number, redial_call_ids from event_calls where tenant_id = :tenantId and event_id = :id "
        + "order by position")
    @RegisterRowMapper(CallMapper.class)
    List<CallRef> calls(@Bind("tenantId") TenantId tenantId, @Bind("id") EventId id);

    private static void condition(StringBuilder sql, Map<String, Object> binds, String clause, String name, Object value) {
        sql.append(clause);
        binds.put(name, value);
    }

    /**
     * Numbers are indexed reversed (text_pattern_ops), so that an end of a number is a range of the index: as explicit
     * bounds, which a generic plan can use too, where {@code like :pattern} needs the pattern known at planning.
     */
    private static void calleeCondition(StringBuilder sql, Map<String, Object> binds, Optional<CalleeNumbers.Search> search) {
        if (search.isEmpty()) {
            sql.append(" and false");
            return;
        }
        String backwards = reversed(search.get().digits());
        int last = backwards.codePointBefore(backwards.length());
        if (search.get().whole() || last == Character.MAX_CODE_POINT) { // no code point above the last to bound the end by
            condition(sql, binds, callFilter("reverse(c.callee_number) = any(:callee)"), "callee", new String[] {backwards, backwards + "+"});
        } else {
            List<String> national = search.get().national();
            String end = "reverse(c.callee_number) ~>=~ :calleeFrom and reverse(c.callee_number) ~<~ :calleeTo";
            condition(sql, binds, callFilter(national.isEmpty() ? end : "(" + end + ") or reverse(c.callee_number) = any(:calleeNational)"),
                "calleeFrom", backwards);
            binds.put("calleeTo", above(backwards, last));
            if (!national.isEmpty()) {
                binds.put("calleeNational", national.stream().map(EventDao::reversed).toArray(String[]::new));
            }
        }
    }

    /** The least text above every text that starts with {@code backwards} (whose last code point is {@code last}). */
    private static String above(String backwards, int last) {
        int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
        return backwards.substring(0, backwards.length() - Character.charCount(last)) + Character.toString(next);
    }

    private static String reversed(String text) {
        return new StringBuilder(text).reverse().toString(); // by code point, as PostgreSQL's reverse()
    }

    /** Events with a call {@code c} that meets {@code condition}. */
    private static String callFilter(String condition) {
        // "e.id in (…)" rather than a correlated exists: the planner starts from the indexed calls
        return " and (e.tenant_id, e.id) in (select c.tenant_id, c.event_id from event_calls c where " + condition + ")";
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

    final class ContentMapper implements RowMapper<Content> {
        @Override
        public Content map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Content(rs.getBytes("body"), rs.getBytes("body_sha256"), rs.getString("headers"));
        }
    }

    final class CallMapper implements RowMapper<CallRef> {
        @Override
        public CallRef map(ResultSet rs, StatementContext ctx) throws SQLException {
            Array redials = rs.getArray("redial_call_ids");
            return new CallRef(rs.getString("call_id"), rs.getString("case_id"), rs.getString("callee_number"),
                redials == null ? List.of() : List.of((String[]) redials.getArray()));
        }
    }
}
