package io.hookgate.api;

import io.hookgate.support.Problem;
import io.hookgate.web.ErrorPages;
import io.hookgate.web.WebSessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

/** The one place where domain failures become HTTP statuses: JSON for the API, a page for the UI. */
public final class ProblemMapper implements ExceptionMapper<Problem> {

    @Context
    private UriInfo uri;
    @Context
    private HttpServletRequest http;
    private final ErrorPages pages;

    public ProblemMapper(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    public Response toResponse(Problem problem) {
        if (WebSessionFilter.isPage(uri.getPath())) {
            return pages.page(status(problem), problem.getMessage(), http);
        }
        return Response.status(status(problem)).type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorBody(problem.code(), problem.getMessage(),
                problem instanceof Problem.Invalid invalid ? invalid.field() : null))
            .build();
    }

    public static int status(Problem problem) {
        if (problem instanceof Problem.NotFound) {
            return 404;
        }
        if (problem instanceof Problem.Invalid) {
            return 400;
        }
        if (problem instanceof Problem.Forbidden) {
            return 403;
        }
        return 409; // Problem.Conflict, the last of the sealed kinds

    }
}
