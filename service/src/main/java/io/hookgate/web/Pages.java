package io.hookgate.web;

import io.hookgate.auth.WebSession;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;

/** What every UI resource does the same way: find the signed-in user, render a page, redirect after a change. */
public final class Pages {

    private final Templates templates;

    public Pages(Templates templates) {
        this.templates = templates;
    }

    public static WebRequest web(ContainerRequestContext request) {
        return new WebRequest((WebSession) request.getProperty(WebSessionFilter.SESSION_PROPERTY));
    }

    public Response render(WebRequest web, String template, String section, Map<String, ?> page) {
        return html(200, template, web.model(section, page));
    }

    public Response html(int status, String template, Map<String, ?> model) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(templates.render(template, model)).build();
    }

    /** Post/redirect/get: after a change, the browser loads the page again, with a notice. */
    public static Response redirect(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
