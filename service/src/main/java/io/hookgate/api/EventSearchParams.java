package io.hookgate.api;

import io.hookgate.event.EventId;
import io.hookgate.event.EventKind;
import io.hookgate.event.EventQuery;
import io.hookgate.event.EventSummary;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;
import jakarta.ws.rs.QueryParam;

import java.util.Map;
import java.util.Optional;

/** The query parameters of an event search, shared by the per-tenant and the cross-tenant endpoints. */
public final class EventSearchParams {

    @QueryParam("taskId") String taskId;
    @QueryParam("callId") String callId;
    @QueryParam("caseId") String caseId;
    @QueryParam("callee") String callee;
    @QueryParam("kind") String kind;
    @QueryParam("from") String from;
    @QueryParam("to") String to;
    @QueryParam("limit") Integer limit;
    @QueryParam("cursor") String cursor;

    /** The search for {@code tenant} (empty: every tenant the caller may read). */
    EventQuery query(Optional<TenantId> tenant) {
        return new EventQuery(tenant, QueryParams.present(taskId), QueryParams.present(callId), QueryParams.present(caseId),
            QueryParams.present(phoneNumber(callee)),
            QueryParams.present(kind).map(k -> EventKind.fromWireName(k).orElseThrow(() -> new Problem.Invalid("kind", "unknown kind " + k))),
            QueryParams.instant("from", from), QueryParams.instant("to", to), limit == null ? EventQuery.DEFAULT_LIMIT : limit,
            KeysetPage.cursor(cursor).map(EventId::new));
    }

    /** A page of results as both endpoints answer it: {@code {"items", "nextCursor"}}, newest first. */
    static Map<String, Object> results(KeysetPage<EventSummary, EventId> page) {
        return PageJson.of(page, EventJson::of);
    }

    /** An unencoded "+" in a query string arrives as a space; a callee number never starts with one. */
    private static String phoneNumber(String value) {
        return value != null && value.startsWith(" ") && value.strip().matches("\\S+") ? "+" + value.strip() : value;
    }
}
