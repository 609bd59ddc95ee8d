package io.hookgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** A request body the API cannot read: say what is wrong with it. */
public final class JsonInputExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorBody("invalid_json", "the request body is not what this endpoint takes: " + e.getOriginalMessage()))
            .build();
    }
}
