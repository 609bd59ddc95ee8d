package io.hookgate.web;

import io.hookgate.auth.SessionService;
import io.hookgate.support.RandomTokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** Sign in and out. The session cookie is HttpOnly, SameSite=Lax, and Secure when the page is served over https. */
@Path("/login")
@Produces(MediaType.TEXT_HTML)
public final class LoginPages {

    private final SessionService sessions;
    private final Pages pages;
    private final RandomTokens random;

    public LoginPages(SessionService sessions, Pages pages, RandomTokens random) {
        this.sessions = sessions;
        this.pages = pages;
        this.random = random;
    }

    @GET
    public Response form(@QueryParam("next") String next, @QueryParam("notice") String notice, @Context HttpServletRequest http) {
        return loginPage(200, safeNext(next), "", null, notice, http);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("email") String email, @FormParam("password") String password, @FormParam("next") String next,
                          @Context HttpServletRequest http) {
        Optional<String> cookie = sessions.login(email, password, http.getRemoteAddr());
        if (cookie.isEmpty()) {
            return loginPage(401, safeNext(next), email, "Wrong email or password, or the account is locked for a few minutes after "
                + "repeated failures.", null, http);
        }
        return Response.seeOther(URI.create(safeNext(next)))
            .cookie(cookie(WebSessionFilter.SESSION_COOKIE, cookie.get(), http, -1)).build();
    }

    /** A refused sign-in keeps the email typed, so that only the password is typed again. */
    private Response loginPage(int status, String next, String email, String error, String notice, HttpServletRequest http) {
        String csrf = random.urlSafe(18);
        Response page = pages.html(status, "login", Map.of("next", next, "csrf", csrf, "email", email == null ? "" : email,
            "error", error == null ? "" : error, "notice", "signed-out".equals(notice) ? "You are signed out." :
                "password-changed".equals(notice) ? "Your password was changed. Sign in with the new one." : ""));
        return Response.fromResponse(page).cookie(cookie(WebSessionFilter.LOGIN_CSRF_COOKIE, csrf, http, -1)).build();
    }

    /** Only a path on this site: an open redirect after login would help phishing. */
    static String safeNext(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") ? next : "/";
    }

    static NewCookie cookie(String name, String value, HttpServletRequest http, int maxAge) {
        boolean secure = http.isSecure() || "https".equalsIgnoreCase(http.getHeader("X-Forwarded-Proto"));
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(secure)
            .sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }
}
