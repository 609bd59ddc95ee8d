package io.hookgate.api;

import io.hookgate.ingest.Rejection;
import io.hookgate.ingest.RejectionQuery;
import io.hookgate.ingest.RejectionReason;
import io.hookgate.support.KeysetPage;
import io.hookgate.tenant.TenantId;
import jakarta.ws.rs.QueryParam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The query parameters of a search of rejected requests, shared by the per-tenant and the cross-tenant endpoints. */
public final class RejectionSearchParams {

    static final int DEFAULT_LIMIT = 100;

    @QueryParam("reason") String reason;
    @QueryParam("taskId") String taskId;
    @QueryParam("limit") Integer limit;
    @QueryParam("cursor") String cursor;

    /** The search for {@code tenant} (empty: every tenant the caller may read). */
    RejectionQuery query(Optional<TenantId> tenant) {
        return new RejectionQuery(tenant, QueryParams.present(reason).map(RejectionReason::fromWireName), QueryParams.present(taskId),
            KeysetPage.cursor(cursor), limit == null ? DEFAULT_LIMIT : limit);
    }

    /** A page as both endpoints answer it: {@code {"items", "nextCursor"}}, newest first. */
    static Map<String, Object> results(KeysetPage<Rejection, Long> page) {
        return PageJson.of(page, RejectionSearchParams::item);
    }

    private static Map<String, Object> item(Rejection r) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", r.id());
        item.put("tenantId", r.tenantId().value());
        item.put("rejectedAt", r.rejectedAt().toString());
        item.put("reason", r.reason().wireName());
        item.put("httpStatus", r.httpStatus());
        item.put("message", r.message());
        item.put("taskId", r.taskId());
        item.put("sourceIp", r.sourceIp());
        item.put("bodySize", r.bodySize());
        item.put("bodyExcerpt", r.excerptText());
        return item;
    }
}
