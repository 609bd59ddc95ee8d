package io.hookgate.ingest;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.store.StoreFailures;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The callback URLs registered with AIRUDDER: {@code POST /hooks/{token}} and {@code POST /hooks/{token}/{kind}}.
 * Answers 200 {@code {}} only once the notification is committed; AIRUDDER retries anything else.
 * <p>
 * A plain servlet rather than a Jersey resource: every notification AIRUDDER sends takes this path, and Jersey's
 * routing, injection and response pipeline cost more CPU per request than verifying the notification did.
 */
public final class HookServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(HookServlet.class);
    private static final byte[] ACK = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final String JSON = "application/json";
    private static final String ALLOWED = "POST, OPTIONS";
    /** Kept with each event: enough to trace a request without storing every header a proxy adds. */
    static final List<String> HEADERS_KEPT = List.of("User-Agent", "Content-Type", "Content-Length", "X-Forwarded-For",
        "X-Real-IP", "X-Request-Id", "X-AIRudder-Sign", "Traceparent");
    private static final int MAX_HEADER_CHARS = 512;

    private final transient IngestService ingest;
    private final transient IngestLoad load;
    private final transient ObjectMapper json;
    private final transient Timer ackTime;
    private final transient Timer ackWithKindTime;

    public HookServlet(IngestService ingest, IngestLoad load, ObjectMapper json, MetricRegistry metrics) {
        this.ingest = ingest;
        this.load = load;
        this.json = json;
        this.ackTime = metrics.timer("hookgate.ingest.ack");
        this.ackWithKindTime = metrics.timer("hookgate.ingest.ack_with_kind");
    }

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        // getPathInfo() is what follows /hooks, percent-decoded: "/{token}" or "/{token}/{kind}"
        String[] segments = (http.getPathInfo() == null ? "" : http.getPathInfo().substring(1)).split("/", -1);
        if (segments.length > 2 || Arrays.asList(segments).contains("")) {
            error(response, 404, "not_found", "no such callback URL: callback URLs have the form /hooks/{token} or /hooks/{token}/{kind}");
            return;
        }
        switch (http.getMethod()) {
            case "POST" -> {
                Optional<String> kind = segments.length == 2 ? Optional.of(segments[1]) : Optional.empty();
                Timer.Context timing = (kind.isPresent() ? ackWithKindTime : ackTime).time();
                try {
                    receive(segments[0], kind, http, response);
                } finally {
                    load.answered(timing.stop()); // one measurement: the ack timer's
                }
            }
            case "OPTIONS" -> {
                response.setHeader("Allow", ALLOWED);
                response.setStatus(200);
            }
            default -> {
                response.setHeader("Allow", ALLOWED);
                error(response, 405, "method_not_allowed", "callback URLs take POST only");
            }
        }
    }

    private void receive(String token, Optional<String> kind, HttpServletRequest http, HttpServletResponse response) throws IOException {
        byte[] body;
        try {
            body = readBody(http);
        } catch (IOException e) {
            error(response, 400, "unreadable_body", "the request body could not be read: " + e.getMessage());
            return;
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
            error(response, 503, "store_unavailable", "the notification could not be stored; retry later");
            return;
        } finally {
            MDC.remove("tenantId"); // set by the ingest for this request's log lines only
            MDC.remove("eventId");
        }
        if (outcome instanceof IngestOutcome.Rejected rejected) {
            error(response, status(rejected.reason()), rejected.reason().wireName(), rejected.message());
            return;
        }
        write(response, 200, ACK);
    }

    /**
     * The body, or its first {@code MAX_BODY_BYTES + 1} bytes when it is larger. With a Content-Length (what AIRUDDER
     * sends), it is read straight into an array of that size: no chunked buffers to copy on every notification.
     */
    private static byte[] readBody(HttpServletRequest http) throws IOException {
        long declared = http.getContentLengthLong();
        if (declared < 0 || declared > IngestService.MAX_BODY_BYTES) {
            return http.getInputStream().readNBytes(IngestService.MAX_BODY_BYTES + 1);
        }
        byte[] body = new byte[(int) declared];
        int read = http.getInputStream().readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
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

    private void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        write(response, status, json.writeValueAsBytes(body));
    }

    private static void write(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
