package io.hookgate.api;

import io.hookgate.support.Problem;
import io.hookgate.web.ErrorPages;
import io.hookgate.web.FormAddresses;
import io.hookgate.web.Pages;
import io.hookgate.web.WebSessionFilter;
import jakarta.ws.rs.WebApplicationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.glassfish.jersey.server.ParamException;

import java.util.Locale;
import java.util.Optional;

/**
 * Jersey's own refusals (unknown path, wrong method or media type, a query parameter that is not a number) in the
 * same JSON shape as ours.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    private UriInfo uri;
    @Context
    private HttpServletRequest http;
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
        if (e instanceof ParamException.QueryParamException query) {
            // JAX-RS answers 404 for a query parameter it cannot convert, as if the resource were missing; it is bad input.
            // Our typed query parameters are all numbers.
            Problem.Invalid invalid = new Problem.Invalid(query.getParameterName(), "must be a whole number");
            if (WebSessionFilter.isPage(uri.getPath())) {
                return pages.page(400, invalid.getMessage(), http);
            }
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(invalid.code(), invalid.getMessage(), invalid.field())).build();
        }
        if (WebSessionFilter.isPage(uri.getPath())) {
            if (status.getStatusCode() == 405 && ("GET".equals(http.getMethod()) || "HEAD".equals(http.getMethod()))) {
                // a form's address, reloaded after the form was refused there: its page
                return Pages.redirect(FormAddresses.pageOf(uri.getPath(), Optional.ofNullable(uri.getQueryParameters().getFirst("tenant"))));
            }
            return pages.page(status.getStatusCode(), status.getStatusCode() == 404 ? "There is no such page." : status.getReasonPhrase(), http);
        }
        String code = status.getReasonPhrase() == null ? "http_" + status.getStatusCode()
            : status.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        Response.ResponseBuilder builder = Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorBody(code, e.getMessage()));
        return builder.build();
    }
}
