package io.hookgate.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;

/**
 * Dropwizard's request log ({@code requestLog: type: hookgate} in config.yml, otherwise as its default logback-access
 * one, whose appenders take {@code layout: type: access-json}) with the callback token cut to its last 4 characters: a
 * callback URL is a credential (with it, unsigned kinds can be posted), and access logs are read by more people than the
 * tenant's settings.
 * <p>
 * A callback answered 200 is left out unless {@code acceptedCallbacks} is true: each is an event in the database, with
 * its time, source address and headers, and at thousands a second its line cost a tenth of the service's CPU. Refused
 * callbacks (also kept as rejections) and 503s stay in the log, as does every other request.
 */
@JsonTypeName("hookgate")
public class TokenMaskingRequestLogFactory extends LogbackAccessRequestLogFactory {

    private boolean acceptedCallbacks;

    @JsonProperty
    public boolean isAcceptedCallbacks() {
        return acceptedCallbacks;
    }

    @JsonProperty
    public void setAcceptedCallbacks(boolean acceptedCallbacks) {
        this.acceptedCallbacks = acceptedCallbacks;
    }

    @Override
    public RequestLog build(String name) {
        RequestLog log = super.build(name);
        boolean logAccepted = acceptedCallbacks;
        return (request, response) -> {
            String path = pathOf(request.getHttpURI());
            if (!logAccepted && response.getStatus() == 200 && "POST".equals(request.getMethod()) && HookHandler.isCallback(path)) {
                return; // an accepted notification: its event is the record
            }
            String masked = path == null ? null : HookHandler.withoutToken(path);
            log.log(masked == null || masked.equals(path) ? request : new Masked(request, masked), response);
        };
    }

    /** The path the handler routed by, so a token behind "." or ".." segments is cut too; as sent if it has none. */
    private static String pathOf(HttpURI uri) {
        return uri.getCanonicalPath() != null ? uri.getCanonicalPath() : uri.getPath();
    }

    private static final class Masked extends Request.Wrapper {
        private final HttpURI uri;

        Masked(Request request, String maskedPath) {
            super(request);
            this.uri = HttpURI.build(request.getHttpURI()).path(maskedPath).asImmutable();
        }

        @Override
        public HttpURI getHttpURI() {
            return uri;
        }
    }
}
