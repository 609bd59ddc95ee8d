package io.hookgate.web;

import io.hookgate.auth.SessionService;
import io.hookgate.auth.WebSession;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Errors as a person sees them in the UI: a page that says what happened and what to do, never a stack trace. A
 * signed-in user keeps the navigation bar, so a wrong link or a refused action is one click from where they were going.
 */
public final class ErrorPages {

    private final Templates templates;
    private final SessionService sessions;

    public ErrorPages(Templates templates, SessionService sessions) {
        this.templates = templates;
        this.sessions = sessions;
    }

    /** For {@code request}'s user, with the navigation bar if signed in. */
    public Response page(int status, String message, HttpServletRequest request) {
        // set by WebSessionFilter, which runs only for paths that have a page: else (a 404) read from the cookie
        Object session = request.getAttribute(WebSessionFilter.SESSION_PROPERTY);
        Optional<WebSession> signedIn = session instanceof WebSession known ? Optional.of(known) : fromCookie(request);
        return render(status, message, signedIn);
    }

    /** Without the navigation bar: for the login form, refused before anyone is signed in. */
    public Response page(int status, String message) {
        return render(status, message, Optional.empty());
    }

    /** For {@code session}'s user, with the navigation bar: a form refused after the session was found (CSRF). */
    public Response page(int status, String message, WebSession session) {
        return render(status, message, Optional.of(session));
    }

    private Optional<WebSession> fromCookie(HttpServletRequest request) {
        Optional<String> cookie = Optional.ofNullable(request.getCookies()).flatMap(cookies -> Arrays.stream(cookies)
            .filter(c -> c.getName().equals(WebSessionFilter.SESSION_COOKIE)).map(Cookie::getValue).findFirst());
        try {
            return cookie.flatMap(sessions::resolve);
        } catch (RuntimeException e) {
            return Optional.empty(); // the error may be the database's: the page still says what happened
        }
    }

    private Response render(int status, String message, Optional<WebSession> session) {
        String title = switch (status) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Cannot do that now";
            case 400 -> "Please check your input";
            case 503 -> "Temporarily unavailable";
            default -> status >= 500 ? "Something went wrong" : "Request refused";
        };
        Map<String, Object> page = Map.of("status", status, "title", title, "message", message);
        Map<String, Object> model = session.map(s -> new WebRequest(s).model("", page)).orElseGet(() -> new HashMap<>(page));
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
            .entity(templates.render("error", model)).build();
    }
}
