package io.hookgate.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.audit.AuditLog;
import io.hookgate.auth.Actor;
import io.hookgate.event.SamplePayloads;
import io.hookgate.tenant.Tenant;
import io.hookgate.tenant.TenantService;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The onboarding wizard's "send a test call": AIRUDDER's example call completion, signed with the tenant's
 * current KEY, posted over HTTP to the tenant's own callback URL on this instance, so it takes the same path
 * as a real notification: verification, storage, delivery.
 */
public final class TestCall {

    /** What the callback URL answered, and the TaskID to follow the event by. */
    public record Result(int status, String body, String taskId) {
        public boolean accepted() {
            return status == 200;
        }
    }

    private final TenantService tenants;
    private final AuditLog audit;
    private final IntSupplier localPort;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestCall(TenantService tenants, AuditLog audit, IntSupplier localPort) {
        this.tenants = tenants;
        this.audit = audit;
        this.localPort = localPort;
    }

    /** Audited: the call is stored and forwarded to the tenant's destinations like a real one. */
    public Result send(Actor actor, Tenant tenant) {
        Result result = post(actor, tenant);
        audit.record(actor, "tenant.test_call", tenant.id(), "tenant " + tenant.id(), Map.of("taskId", result.taskId(),
            "status", result.status()));
        return result;
    }

    private Result post(Actor actor, Tenant tenant) {
        ObjectNode payload = SamplePayloads.callCompletion();
        String taskId = payload.get("TaskID").asText();
        payload.put("Sign", tenants.signWithCurrentKey(actor, tenant.id(), taskId));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort.getAsInt() + "/hooks/" + tenant.callbackToken()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "Hookgate test call")
            .POST(HttpRequest.BodyPublishers.ofByteArray(SamplePayloads.bytes(payload)))
            .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Result(response.statusCode(), response.body(), taskId);
        } catch (IOException e) {
            return new Result(0, "the callback URL could not be reached: " + e.getMessage(), taskId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, "interrupted", taskId);
        }
    }
}
