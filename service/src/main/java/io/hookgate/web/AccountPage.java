package io.hookgate.web;

import io.hookgate.auth.Actor;
import io.hookgate.auth.SessionService;
import io.hookgate.auth.User;
import io.hookgate.auth.UserChanges;
import io.hookgate.auth.UserService;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Your own account: who you are, and a password change that asks for the current password first. A new password
 * ends every session of the account (the service deletes them), this one included: the browser goes to sign in.
 */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public final class AccountPage {

    private final UserService users;
    private final SessionService sessions;
    private final TenantService tenants;
    private final Pages pages;

    public AccountPage(UserService users, SessionService sessions, TenantService tenants, Pages pages) {
        this.users = users;
        this.sessions = sessions;
        this.tenants = tenants;
        this.pages = pages;
    }

    @GET
    public Response account(@Context ContainerRequestContext request) {
        return accountPage(Pages.web(request), null, 200);
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@Context ContainerRequestContext request, @Context HttpServletRequest http,
                                   @FormParam("current") String current, @FormParam("password") String password,
                                   @FormParam("repeat") String repeat) {
        WebRequest web = Pages.web(request);
        Actor actor = web.actor();
        if (!sessions.confirmPassword(actor, current)) {
            return accountPage(web, "Your current password is not right, so the password was not changed. After repeated "
                + "mistakes the account is locked for a few minutes.", 400);
        }
        if (password == null || !password.equals(repeat)) {
            return accountPage(web, "The two new passwords differ; type the same new password twice.", 400);
        }
        try {
            users.update(actor, actor.id(), new UserChanges(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(password)));
        } catch (Problem.Invalid e) {
            return accountPage(web, FormErrors.message(e), 400);
        }
        // every session of this account is gone now; drop the cookie too
        return Response.seeOther(URI.create("/login?notice=password-changed"))
            .cookie(LoginPages.cookie(WebSessionFilter.SESSION_COOKIE, "", http, 0)).build();
    }

    private Response accountPage(WebRequest web, String error, int status) {
        Actor actor = web.actor();
        User me = users.get(actor, actor.id());
        Map<String, Object> page = new HashMap<>();
        page.put("user", me);
        page.put("tenant", me.tenantId().map(t -> tenants.get(actor, t).name()).orElse(""));
        page.put("error", error == null ? "" : error);
        return pages.html(status, "account", web.model("account", page));
    }
}
