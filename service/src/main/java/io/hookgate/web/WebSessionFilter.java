package io.hookgate.web;

import io.hookgate.auth.SessionService;
import io.hookgate.auth.WebSession;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards the admin UI's pages: a request without a live session goes to the login page, and every state-changing
 * request must carry the session's CSRF token in its form ({@code _csrf}), else 403. The login form itself is
 * protected by a double-submit cookie. The JSON API and the callback URLs have their own authentication.
 */
@Priority(Priorities.AUTHENTICATION)
public final class WebSessionFilter implements ContainerRequestFilter {

    public static final String SESSION_COOKIE = "hookgate_session";
    public static final String LOGIN_CSRF_COOKIE = "hookgate_login_csrf";
    static final String SESSION_PROPERTY = "hookgate.session";

    private final SessionService sessions;
    private final ErrorPages errors;

    public WebSessionFilter(SessionService sessions, ErrorPages errors) {
        this.sessions = sessions;
        this.errors = errors;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String path = request.getUriInfo().getPath();
        if (!isPage(path)) {
            return;
        }
        boolean unsafe = !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD");
        if (path.equals("login")) {
            if (unsafe && !tokenMatches(formField(request, "_csrf"), cookie(request, LOGIN_CSRF_COOKIE))) {
                request.abortWith(errors.page(403, "This form has expired. Go back, reload the page and try again."));
            }
            return;
        }
        Optional<WebSession> session = sessions.resolve(cookie(request, SESSION_COOKIE));
        if (session.isEmpty()) {
            URI asked = request.getUriInfo().getRequestUri();
            String next = unsafe ? "/" : asked.getRawPath() + (asked.getRawQuery() == null ? "" : "?" + asked.getRawQuery());
            // encoded whole, its own escapes included: "taskId=a%2Bb" must come back as a+b, not "a b"
            request.abortWith(Response.seeOther(UriBuilder.fromPath("/login")
                .replaceQuery("next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)).build()).build());
            return;
        }
        if (unsafe && !tokenMatches(formField(request, "_csrf"), session.get().csrfToken())) {
            request.abortWith(errors.page(403, "This form has expired or did not come from this site. Go back, reload the page and try again.",
                session.get()));
            return;
        }
        request.setProperty(SESSION_PROPERTY, session.get());
    }

    public static boolean isPage(String path) {
        return !(path.startsWith("api/") || path.startsWith("hooks/") || path.startsWith("static/") || path.equals("api") || path.equals("hooks"));
    }

    private static boolean tokenMatches(String sent, String expected) {
        return sent != null && expected != null && !expected.isEmpty()
            && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String cookie(ContainerRequestContext request, String name) {
        Cookie cookie = request.getCookies().get(name);
        return cookie == null ? null : cookie.getValue();
    }

    /** Reads one field of a urlencoded form, leaving the body for the resource to read again. */
    private static String formField(ContainerRequestContext request, String name) throws IOException {
        if (!MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())) {
            return null;
        }
        byte[] body = request.getEntityStream().readNBytes(2 * 1024 * 1024);
        request.setEntityStream(new ByteArrayInputStream(body));
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
