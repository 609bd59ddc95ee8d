package io.hookgate.event;

import io.hookgate.auth.Actor;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;

/** Finding stored events: the same calls serve the JSON API and the UI. */
public final class EventService {

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public EventService(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = jdbi;
        this.json = json;
    }

    public KeysetPage<EventSummary, EventId> search(Actor actor, EventQuery requested) {
        EventQuery query = requested;
        if (requested.tenantId().isPresent()) {
            actor.requireRead(requested.tenantId().get());
        } else if (actor.tenantId().isPresent()) {
            // a tenant admin's "all tenants" is its own tenant
            query = new EventQuery(actor.tenantId(), requested.taskId(), requested.callId(), requested.caseId(), requested.callee(),
                requested.kind(), requested.from(), requested.to(), requested.limit(), requested.before());
        }
        EventQuery scoped = query;
        List<EventSummary> found = jdbi.withExtension(EventDao.class, dao -> dao.search(scoped));
        return KeysetPage.of(found, scoped.limit(), EventSummary::id);
    }

    public StoredEvent get(Actor actor, EventId id) {
        return jdbi.withExtension(EventDao.class, dao -> {
            EventSummary summary = dao.find(id).filter(e -> actor.canRead(e.tenantId()))
                .orElseThrow(() -> new Problem.NotFound("event " + id));
            List<CallRef> calls = dao.calls(summary.tenantId(), id);
            EventDao.Content content = dao.content(summary.tenantId(), id);
            return new StoredEvent(summary.withCalls(calls), content.body(), content.bodySha256(), headers(content.headersJson()));
        });
    }

    private Map<String, String> headers(String headersJson) {
        try {
            return json.readValue(headersJson, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored headers are not a JSON object", e);
        }
    }
}
