package io.hookgate.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request body the API cannot read: say what is wrong with it in the API's own terms (its field names), never in
 * the parser's (Java class names, parser limits).
 */
public final class JsonInputExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            return invalid("unknown field \"" + unknown.getPropertyName() + "\"; this endpoint takes " + known, path(unknown));
        }
        if (duplicate(e) != null) {
            // nested, the parser's error comes wrapped with the path to the object that holds the field twice
            String field = (e instanceof JsonMappingException mapping && path(mapping) != null ? path(mapping) + "." : "") + duplicate(e);
            return invalid("field \"" + field + "\" is given twice; give it once", field);
        }
        if (e instanceof NulRefusingStrings.NulCharacter nul) {
            String field = path(nul);
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody("invalid_input",
                (field == null ? "a text value" : "field \"" + field + "\"") + " holds a NUL character (\\u0000), which cannot be stored; "
                + "remove it", field)).build();
        }
        if (e instanceof InvalidNullException nul && path(nul) != null) {
            return invalid("field \"" + path(nul) + "\" cannot be null; leave it out to keep its value", path(nul));
        }
        if (e instanceof StreamConstraintsException) {
            return invalid("the request body is nested too deeply or holds a value too long to read", null);
        }
        if (e instanceof JsonMappingException mapping && path(mapping) != null) {
            return invalid("field \"" + path(mapping) + "\" does not have the type this endpoint takes", path(mapping));
        }
        if (e instanceof MismatchedInputException) {
            // an array, a string or nothing where the object goes; Jackson's message names our Java classes
            return invalid("the request body must be a JSON object with this endpoint's fields", null);
        }
        return invalid("the request body is not JSON this endpoint can read: " + e.getOriginalMessage().replaceAll(" ?\\(class [^)]*\\)", ""), null);
    }

    /** The field named twice, if that is what {@code e} or its cause says. */
    private static String duplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException parse && parse.getOriginalMessage().startsWith("Duplicate field '")) {
                return parse.getOriginalMessage().replaceFirst("^Duplicate field '(.*)'$", "$1");
            }
        }
        return null;
    }

    private static Response invalid(String message, String field) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody("invalid_json", message, field)).build();
    }

    /** The field at fault as a dotted path ({@code backoff.initialMs}, {@code filter[0].in}), if the parser got that far. */
    private static String path(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty()) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (JsonMappingException.Reference step : path) {
            if (step.getFieldName() != null) {
                name.append(name.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                name.append('[').append(step.getIndex()).append(']');
            }
        }
        return name.isEmpty() ? null : name.toString();
    }
}
