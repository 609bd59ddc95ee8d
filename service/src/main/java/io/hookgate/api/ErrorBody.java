package io.hookgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every error the service answers with: {@code {"error": "...", "message": "..."}}, plus the field at fault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, String field) {

    public ErrorBody(String error, String message) {
        this(error, message, null);
    }
}
