package io.hookgate.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Errors as a person sees them in the UI: a page that says what happened and what to do, never a stack trace. */
public final class ErrorPages {

    private final Templates templates;

    public ErrorPages(Templates templates) {
        this.templates = templates;
    }

    public Response page(int status, String message) {
        String title = switch (status) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Cannot do that now";
            case 400 -> "Please check your input";
            case 503 -> "Temporarily unavailable";
            default -> status >= 500 ? "Something went wrong" : "Request refused";
        };
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
            .entity(templates.render("error", Map.of("status", status, "title", title, "message", message))).build();
    }
}
