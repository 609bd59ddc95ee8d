package io.hookgate.api;

import io.hookgate.web.ErrorPages;
import io.hookgate.web.WebSessionFilter;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.Locale;

/** Jersey's own refusals (unknown path, wrong method or media type) in the same JSON shape as ours. */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    private UriInfo uri;
    private final ErrorPages pages;

    public WebApplicationExceptionMapper(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        if (status.getStatusCode() < 400) {
            return original;
        }
        if (WebSessionFilter.isPage(uri.getPath())) {
            return pages.page(status.getStatusCode(), status.getStatusCode() == 404 ? "There is no such page." : status.getReasonPhrase());
        }
        String code = status.getReasonPhrase() == null ? "http_" + status.getStatusCode()
            : status.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        Response.ResponseBuilder builder = Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorBody(code, e.getMessage()));
        return builder.build();
    }
}
