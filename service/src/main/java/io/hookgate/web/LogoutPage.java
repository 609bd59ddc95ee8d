package io.hookgate.web;

import io.hookgate.auth.SessionService;
import io.hookgate.auth.WebSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** Sign out: ends the session on the server, not only the cookie. */
@Path("/logout")
public final class LogoutPage {

    private final SessionService sessions;

    public LogoutPage(SessionService sessions) {
        this.sessions = sessions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@CookieParam(WebSessionFilter.SESSION_COOKIE) String cookie, @Context ContainerRequestContext request,
                           @Context HttpServletRequest http) {
        WebSession session = (WebSession) request.getProperty(WebSessionFilter.SESSION_PROPERTY);
        sessions.logout(cookie, session == null ? null : session.actor());
        return Response.seeOther(URI.create("/login?notice=signed-out"))
            .cookie(LoginPages.cookie(WebSessionFilter.SESSION_COOKIE, "", http, 0)).build();
    }

}
