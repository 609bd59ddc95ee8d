package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.retention.RetentionPass;
import io.hookgate.retention.RetentionPurger;
import io.hookgate.support.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The retention purge's recent passes, newest first: whether it runs, how far it got, what it removed. */
@Path("/api/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
public final class RetentionResource {

    private final RetentionPurger purger;

    public RetentionResource(RetentionPurger purger) {
        this.purger = purger;
    }

    @GET
    @Path("/passes")
    public Map<String, Object> passes(@Auth Actor actor, @QueryParam("limit") Integer limit) {
        int count = limit == null ? 20 : limit;
        if (count < 1 || count > 200) {
            throw new Problem.Invalid("limit", "must be between 1 and 200");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intervalSeconds", purger.interval().toSeconds());
        body.put("items", purger.recentPasses(actor, count).stream().map(view -> {
            RetentionPass p = view.pass();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", p.id());
            item.put("state", view.state());
            item.put("startedAt", p.startedAt().toString());
            item.put("finishedAt", p.finishedAt() == null ? null : p.finishedAt().toString());
            item.put("tenantsTotal", p.tenantsTotal());
            item.put("tenantsDone", p.tenantsDone());
            item.put("eventsDeleted", p.eventsDeleted());
            item.put("error", p.error());
            item.put("progressAt", p.progressAt() == null ? null : p.progressAt().toString());
            return item;
        }).toList());
        return body;
    }
}
