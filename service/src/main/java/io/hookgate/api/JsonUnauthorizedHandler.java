package io.hookgate.api;

import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

public final class JsonUnauthorizedHandler implements UnauthorizedHandler {

    @Override
    public Response buildResponse(String prefix, String realm) {
        return Response.status(401)
            .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorBody("unauthorized", "valid credentials of an enabled account are required: HTTP Basic with a user's email and "
                + "password, or Authorization: Bearer with an API token; after repeated failures an account is locked for a while"))
            .build();
    }
}
