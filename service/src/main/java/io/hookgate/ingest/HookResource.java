package io.hookgate.ingest;

import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.store.StoreFailures;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The callback URLs registered with AIRUDDER: {@code POST /hooks/{token}} and {@code POST /hooks/{token}/{kind}}.
 * Answers 200 {@code {}} only once the notification is committed; AIRUDDER retries anything else.
 */
@Path("/hooks/{token}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class HookResource {

    private static final Logger LOG = LoggerFactory.getLogger(HookResource.class);
    private static final byte[] ACK = "{}".getBytes(StandardCharsets.US_ASCII);
    /** Kept with each event: enough to trace a request without storing every header a proxy adds. */
    static final List<String> HEADERS_KEPT = List.of("User-Agent", "Content-Type", "Content-Length", "X-Forwarded-For",
        "X-Real-IP", "X-Request-Id", "X-AIRudder-Sign", "Traceparent");
    private static final int MAX_HEADER_CHARS = 512;

    private final IngestService ingest;
    private final ObjectMapper json;

    public HookResource(IngestService ingest, ObjectMapper json) {
        this.ingest = ingest;
        this.json = json;
    }

    @POST
    @Timed(name = "hookgate.ingest.ack", absolute = true)
    public Response receive(@PathParam("token") String token, @Context HttpServletRequest http, InputStream body) {
        return handle(token, Optional.empty(), http, body);
    }

    @POST
    @Path("/{kind}")
    @Timed(name = "hookgate.ingest.ack_with_kind", absolute = true)
    public Response receiveKind(@PathParam("token") String token, @PathParam("kind") String kind,
                                @Context HttpServletRequest http, InputStream body) {
        return handle(token, Optional.of(kind), http, body);
    }

    private Response handle(String token, Optional<String> kind, HttpServletRequest http, InputStream bodyStream) {
        byte[] body;
        try {
            body = bodyStream.readNBytes(IngestService.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            return error(400, "unreadable_body", "the request body could not be read: " + e.getMessage());
        }
        InboundRequest request = new InboundRequest(token, kind, body, body.length > IngestService.MAX_BODY_BYTES,
            http.getRemoteAddr(), keptHeaders(http));
        IngestOutcome outcome;
        try {
            outcome = ingest.receive(request);
            if (outcome instanceof IngestOutcome.Stored stored) {
                LOG.debug("Stored event {} ({})", stored.eventId(), stored.kind().wireName());
            }
        } catch (RuntimeException e) {
            // Never 200 for what is not committed: AIRUDDER retries, and the repeat is deduplicated if this one did land.
            if (StoreFailures.isUnavailable(e)) {
                LOG.warn("Database unavailable, answered 503 to callback token …{}: {}", tail(token), e.toString()); // no trace per request
            } else {
                LOG.error("Could not store a notification for callback token …{}: {}", tail(token), e.toString(), e);
            }
            return error(503, "store_unavailable", "the notification could not be stored; retry later");
        } finally {
            MDC.remove("tenantId"); // set by the ingest for this request's log lines only
            MDC.remove("eventId");
        }
        if (outcome instanceof IngestOutcome.Rejected rejected) {
            return error(status(rejected.reason()), rejected.reason().wireName(), rejected.message());
        }
        return Response.ok(ACK, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The HTTP status AIRUDDER receives for each reason, also shown to support beside logged rejections. */
    public static int status(RejectionReason reason) {
        return switch (reason) {
            case UNKNOWN_TOKEN, UNKNOWN_KIND -> 404;
            case TENANT_SUSPENDED, UNSIGNED_NOT_ACCEPTED -> 403;
            case BODY_TOO_LARGE -> 413;
            case INVALID_JSON, MISSING_FIELD -> 400;
            case BAD_SIGNATURE -> 401;
        };
    }

    private Response error(int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json.writeValueAsBytes(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> keptHeaders(HttpServletRequest http) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : HEADERS_KEPT) {
            String value = http.getHeader(name);
            if (value != null) {
                kept.put(name, value.length() > MAX_HEADER_CHARS ? value.substring(0, MAX_HEADER_CHARS) : value);
            }
        }
        return kept;
    }

    private static String tail(String token) {
        return token.length() <= 4 ? "" : token.substring(token.length() - 4);
    }
}
