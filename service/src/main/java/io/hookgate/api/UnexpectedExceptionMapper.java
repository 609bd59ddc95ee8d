package io.hookgate.api;

import io.hookgate.store.StoreFailures;
import io.hookgate.web.ErrorPages;
import io.hookgate.web.WebSessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Anything else: logged with an id the caller can quote. The database being down is a 503, and text it cannot hold
 * (a NUL character, in a body, a form or a search) a 400, not bugs.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Context
    private UriInfo uri;
    @Context
    private HttpServletRequest http;
    private final ErrorPages pages;

    public UnexpectedExceptionMapper(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    public Response toResponse(Throwable e) {
        if (StoreFailures.isUnavailable(e)) {
            LOG.warn("Database unavailable: {}", e.toString());
            return respond(503, new ErrorBody("store_unavailable", "the database is unavailable; retry later"));
        }
        if (StoreFailures.isUnstorableText(e)) {
            return respond(400, new ErrorBody("invalid_input", "a text value holds a NUL character (\\u0000), which cannot be "
                + "stored or searched for; remove it"));
        }
        String errorId = Long.toHexString(ThreadLocalRandom.current().nextLong());
        LOG.error("Unexpected error {}", errorId, e);
        return respond(500, new ErrorBody("internal_error", "an unexpected error occurred; quote error id " + errorId + " to support"));
    }

    private Response respond(int status, ErrorBody body) {
        if (WebSessionFilter.isPage(uri.getPath())) {
            return pages.page(status, body.message(), http);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
