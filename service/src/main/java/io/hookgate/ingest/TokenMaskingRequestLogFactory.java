package io.hookgate.ingest;

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
 */
@JsonTypeName("hookgate")
public class TokenMaskingRequestLogFactory extends LogbackAccessRequestLogFactory {

    @Override
    public RequestLog build(String name) {
        RequestLog log = super.build(name);
        return (request, response) -> log.log(holdsToken(request) ? new Masked(request) : request, response);
    }

    private static boolean holdsToken(Request request) {
        String path = pathOf(request.getHttpURI());
        return path != null && !HookHandler.withoutToken(path).equals(path);
    }

    /** The path the handler routed by, so a token behind "." or ".." segments is cut too; as sent if it has none. */
    private static String pathOf(HttpURI uri) {
        return uri.getCanonicalPath() != null ? uri.getCanonicalPath() : uri.getPath();
    }

    private static final class Masked extends Request.Wrapper {
        private final HttpURI uri;

        Masked(Request request) {
            super(request);
            HttpURI original = request.getHttpURI();
            this.uri = HttpURI.build(original).path(HookHandler.withoutToken(pathOf(original))).asImmutable();
        }

        @Override
        public HttpURI getHttpURI() {
            return uri;
        }
    }
}
