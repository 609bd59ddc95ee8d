package io.hookgate.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/** Durable storage of accepted notifications; the answer to AIRUDDER waits for this to return. */
public final class EventStore {

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Runnable deliveriesCreated;

    /** {@code deliveriesCreated} is the in-process signal that wakes the delivery worker at once. */
    public EventStore(Jdbi jdbi, ObjectMapper json, Runnable deliveriesCreated) {
        this.jdbi = jdbi;
        this.json = json;
        this.deliveriesCreated = deliveriesCreated;
    }

    /**
     * The new event's id once committed, with its deliveries created; empty if the tenant already has an event with
     * this exact body. Wakes the delivery worker when there is something to deliver.
     */
    public Optional<EventId> store(NewEvent event) {
        String headers;
        try {
            headers = json.writeValueAsString(event.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers are not serializable", e);
        }
        int n = event.calls().size();
        String[] callIds = new String[n];
        String[] caseIds = new String[n];
        String[] callees = new String[n];
        for (int i = 0; i < n; i++) {
            CallRef call = event.calls().get(i);
            callIds[i] = call.callId();
            caseIds[i] = call.caseId();
            callees[i] = call.calleeNumber();
        }
        Optional<EventDao.Inserted> inserted = jdbi.withExtension(EventDao.class, dao -> dao.insert(event.tenantId(),
            event.kind().wireName(), event.signed(), event.body(), event.bodySha256(), event.receivedAt(), event.sourceIp(), headers,
            event.workflowId(), event.taskId(), event.callCount(), callIds, caseIds, callees));
        if (inserted.isPresent() && inserted.get().deliveries() > 0) {
            deliveriesCreated.run();
        }
        return inserted.map(i -> new EventId(i.id()));
    }
}
