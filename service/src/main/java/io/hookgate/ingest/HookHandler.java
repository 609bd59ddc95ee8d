package io.hookgate.ingest;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.store.StoreFailures;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The callback URLs registered with AIRUDDER: {@code POST /hooks/{token}} and {@code POST /hooks/{token}/{kind}}.
 * Answers 200 {@code {}} only once the notification is committed; AIRUDDER retries anything else.
 * <p>
 * A Jetty handler in front of the application's servlet context rather than a servlet or a Jersey resource: every
 * notification AIRUDDER sends takes this path, and the servlet request objects, the filter chain and Jersey's
 * pipeline cost more CPU per request than verifying the notification does. Requests to other paths go on to the
 * application unchanged; the request log and Dropwizard's request metrics still see every request.
 */
public final class HookHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(HookHandler.class);
    private static final String PREFIX = "/hooks/";
    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");
    private static final Pattern TOKEN_IN_PATH = Pattern.compile("(?i)(/hooks/+)([^/]+)");
    private static final byte[] ACK = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    private static final HttpField ALLOWED = new PreEncodedHttpField(HttpHeader.ALLOW, "POST, OPTIONS");
    /** Kept with each event: enough to trace a request without storing every header a proxy adds. */
    static final List<String> HEADERS_KEPT = List.of("User-Agent", "Content-Type", "Content-Length", "X-Forwarded-For",
        "X-Real-IP", "X-Request-Id", "X-AIRudder-Sign", "Traceparent");
    private static final int MAX_HEADER_CHARS = 512;

    private final IngestService ingest;
    private final IngestLoad load;
    private final ObjectMapper json;
    private final Timer ackTime;
    private final Timer ackWithKindTime;

    public HookHandler(IngestService ingest, IngestLoad load, ObjectMapper json, MetricRegistry metrics) {
        this.ingest = ingest;
        this.load = load;
        this.json = json;
        this.ackTime = metrics.timer("hookgate.ingest.ack");
        this.ackWithKindTime = metrics.timer("hookgate.ingest.ack_with_kind");
    }

    /**
     * Puts this handler between {@code application} and the handler that wraps it (Dropwizard's request metrics), in
     * {@code server}'s tree before it starts.
     */
    public void insertBefore(Handler application, Server server) {
        Handler.Wrapper parent = server.getDescendants(Handler.Wrapper.class).stream()
            .filter(wrapper -> wrapper.getHandler() == application)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the application's servlet context has no wrapping handler: "
                + "the callback URLs need the default server factory (server.type: default)"));
        setHandler(application);
        parent.setHandler(this);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // decoded, with . and .. segments resolved: the path the servlet context would route by
        String path = request.getHttpURI().getCanonicalPath();
        if (!isCallback(path)) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().add(NOSNIFF);
        // "{token}" or "{token}/{kind}"; a URL pasted with a trailing slash is the same callback URL
        String rest = TRAILING_SLASHES.matcher(path.substring(PREFIX.length())).replaceFirst("");
        int slash = rest.indexOf('/');
        String token = slash < 0 ? rest : rest.substring(0, slash);
        if (token.isEmpty()) {
            error(response, callback, 404, "not_found", "no such callback URL: callback URLs have the form /hooks/{token} or /hooks/{token}/{kind}");
            return true;
        }
        switch (request.getMethod()) {
            case "POST" -> {
                // anything else after the token is refused as an unknown kind, and recorded for the tenant it names
                Optional<String> kind = slash < 0 ? Optional.empty() : Optional.of(rest.substring(slash + 1));
                receive(token, kind, request, response, callback);
            }
            case "OPTIONS" -> {
                response.getHeaders().add(ALLOWED);
                response.setStatus(200);
                callback.succeeded();
            }
            default -> {
                response.getHeaders().add(ALLOWED);
                error(response, callback, 405, "method_not_allowed", "callback URLs take POST only");
            }
        }
        return true;
    }

    /**
     * Answers once the notification is refused or committed. The request thread returns as soon as the notification
     * is queued; the committer that writes it sends the answer.
     */
    private void receive(String token, Optional<String> kind, Request http, Response response, Callback callback) throws IOException {
        Timer.Context timing = (kind.isPresent() ? ackWithKindTime : ackTime).time();
        Callback answered = Callback.from(callback, () -> load.answered(timing.stop())); // one measurement: the ack timer's
        byte[] body;
        try {
            body = readBody(http);
        } catch (IOException e) {
            error(response, answered, 400, "unreadable_body", "the request body could not be read: " + e.getMessage());
            return;
        }
        InboundRequest request = new InboundRequest(token, kind, body, body.length > IngestService.MAX_BODY_BYTES,
            Request.getRemoteAddr(http), keptHeaders(http));
        try {
            ingest.receive(request).whenComplete(answer(token, response, answered, MDC.getCopyOfContextMap()));
        } catch (RuntimeException e) {
            notStored(token, e, response, answered);
        } finally {
            MDC.remove("tenantId"); // set by the ingest for this request's log lines only
        }
    }

    /** Runs where the outcome is known, often a committer thread: the request's log context goes with it. */
    private BiConsumer<IngestOutcome, Throwable> answer(String token, Response response, Callback callback,
                                                        Map<String, String> logContext) {
        return (outcome, failure) -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                if (failure != null) {
                    notStored(token, failure instanceof CompletionException ? failure.getCause() : failure, response, callback);
                } else if (outcome instanceof IngestOutcome.Rejected rejected) {
                    error(response, callback, status(rejected.reason()), rejected.reason().wireName(), rejected.message());
                } else {
                    if (outcome instanceof IngestOutcome.Stored stored && LOG.isDebugEnabled()) {
                        try (var event = MDC.putCloseable("eventId", stored.eventId().toString())) {
                            LOG.debug("Stored event {} ({})", stored.eventId(), stored.kind().wireName());
                        }
                    }
                    write(response, callback, 200, ACK);
                }
            } catch (IOException | RuntimeException e) {
                callback.failed(e);
            } finally {
                if (previous != null) {
                    MDC.setContextMap(previous);
                } else {
                    MDC.clear();
                }
            }
        };
    }

    /** Never 200 for what is not committed: AIRUDDER retries, and the repeat is deduplicated if this one did land. */
    private void notStored(String token, Throwable failure, Response response, Callback callback) throws IOException {
        if (StoreFailures.isUnavailable(failure)) {
            LOG.warn("Database unavailable, answered 503 to callback token …{}: {}", tail(token), failure.toString()); // no trace per request
        } else {
            LOG.error("Could not store a notification for callback token …{}: {}", tail(token), failure.toString(), failure);
        }
        error(response, callback, 503, "store_unavailable", "the notification could not be stored; retry later");
    }

    /**
     * The body, or its first {@code MAX_BODY_BYTES + 1} bytes when it is larger. With a Content-Length (what AIRUDDER
     * sends), it is read straight into an array of that size.
     */
    private static byte[] readBody(Request http) throws IOException {
        long declared = http.getLength();
        InputStream in = Request.asInputStream(http);
        if (declared < 0 || declared > IngestService.MAX_BODY_BYTES) {
            return in.readNBytes(IngestService.MAX_BODY_BYTES + 1);
        }
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
    }

    /** The HTTP status AIRUDDER receives for each reason, also shown to support beside logged rejections. */
    public static int status(RejectionReason reason) {
        return switch (reason) {
            case UNKNOWN_TOKEN, UNKNOWN_KIND -> 404;
            case TENANT_SUSPENDED, UNSIGNED_NOT_ACCEPTED -> 403;
            case BODY_TOO_LARGE -> 413;
            case INVALID_JSON, MISSING_FIELD, KIND_MISMATCH -> 400;
            case BAD_SIGNATURE -> 401;
        };
    }

    private void error(Response response, Callback callback, int status, String code, String message) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        write(response, callback, status, json.writeValueAsBytes(body));
    }

    private static void write(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().add(JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static Map<String, String> keptHeaders(Request http) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : HEADERS_KEPT) {
            String value = http.getHeaders().get(name);
            if (value != null) {
                kept.put(name, value.length() > MAX_HEADER_CHARS ? value.substring(0, MAX_HEADER_CHARS) : value);
            }
        }
        return kept;
    }

    /** Whether {@code path}, decoded and with . and .. segments resolved, is a callback URL's. */
    static boolean isCallback(String path) {
        return path != null && path.startsWith(PREFIX);
    }

    /**
     * A path with what may be a callback token, the segment after "hooks", cut to its last 4 characters, for logs:
     * also in a mistyped callback URL ({@code //hooks/…}, {@code /hooks//…}, {@code /Hooks/…}), which still holds it.
     */
    static String withoutToken(String path) {
        Matcher found = TOKEN_IN_PATH.matcher(path);
        if (!found.find()) {
            return path; // most paths: nothing to cut, nothing copied
        }
        StringBuilder masked = new StringBuilder();
        do {
            found.appendReplacement(masked, Matcher.quoteReplacement(found.group(1) + "…" + tail(found.group(2))));
        } while (found.find());
        found.appendTail(masked);
        return masked.toString();
    }

    private static String tail(String token) {
        return token.length() <= 4 ? "" : token.substring(token.length() - 4);
    }
}
