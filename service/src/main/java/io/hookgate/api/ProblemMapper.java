package io.hookgate.api;

import io.hookgate.support.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** The one place where domain failures become HTTP statuses. */
public final class ProblemMapper implements ExceptionMapper<Problem> {

    @Override
    public Response toResponse(Problem problem) {
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
