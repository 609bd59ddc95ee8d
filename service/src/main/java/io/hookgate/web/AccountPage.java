package io.hookgate.web;

import io.hookgate.auth.Actor;
import io.hookgate.auth.ApiTokenService;
import io.hookgate.auth.CreatedApiToken;
import io.hookgate.auth.PageFlashes;
import io.hookgate.auth.PasswordConfirmation;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Your own account: who you are, a password change that asks for the current password first, and your API tokens.
 * A new password ends every session of the account (the service deletes them), this one included: the browser goes
 * to sign in. A new API token is shown once, on the page that follows its creation.
 */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public final class AccountPage {

    private final UserService users;
    private final SessionService sessions;
    private final TenantService tenants;
    private final ApiTokenService tokens;
    private final PageFlashes flashes;
    private final Pages pages;

    /** A new API token on its way from the form to the page that shows it once. */
    record ShownToken(long id, String secret) {
    }

    public AccountPage(UserService users, SessionService sessions, TenantService tenants, ApiTokenService tokens, PageFlashes flashes,
                       Pages pages) {
        this.users = users;
        this.sessions = sessions;
        this.tenants = tenants;
        this.tokens = tokens;
        this.flashes = flashes;
        this.pages = pages;
    }

    @GET
    public Response account(@Context ContainerRequestContext request, @QueryParam("notice") String notice, @QueryParam("shown") String shown,
                            @QueryParam("refused") String refused) {
        WebRequest web = Pages.web(request);
        Map<String, Object> extra = new HashMap<>(Map.of("notice", Notices.text(notice)));
        PasswordRefusals.take(flashes, web.actor(), refused, "/account").ifPresent(message -> extra.put("error", message));
        flashes.take(web.actor(), shown, ShownToken.class).ifPresent(t -> extra.put("newToken", t));
        return accountPage(web, extra, 200);
    }

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createToken(@Context ContainerRequestContext request, @FormParam("name") String name) {
        WebRequest web = Pages.web(request);
        try {
            CreatedApiToken created = tokens.create(web.actor(), FormValues.present(name));
            return Pages.redirect("/account?shown=" + flashes.keep(web.actor(), new ShownToken(created.token().id(), created.secret())));
        } catch (Problem.Invalid e) {
            return accountPage(web, Map.of("tokenError", FormErrors.message(e), "tokenName", name == null ? "" : name), 400);
        }
    }

    @POST
    @Path("/tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeToken(@Context ContainerRequestContext request, @PathParam("id") long id) {
        tokens.revoke(Pages.web(request).actor(), id);
        return Pages.redirect("/account?notice=token-revoked");
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@Context ContainerRequestContext request, @Context HttpServletRequest http,
                                   @FormParam("current") String current, @FormParam("password") String password,
                                   @FormParam("repeat") String repeat) {
        WebRequest web = Pages.web(request);
        Actor actor = web.actor();
        PasswordConfirmation confirmation = sessions.confirmPassword(actor, current, "change the password", Optional.empty());
        if (!confirmation.confirmed()) {
            return PasswordRefusals.redirect(flashes, actor, "/account", confirmation, "the password was not changed");
        }
        if (password == null || !password.equals(repeat)) {
            return accountPage(web, Map.of("error", "The two new passwords differ; type the same new password twice."), 400);
        }
        try {
            users.update(actor, actor.id(), new UserChanges(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(password)));
        } catch (Problem.Invalid e) {
            return accountPage(web, Map.of("error", FormErrors.message(e)), 400);
        }
        // every session of this account is gone now; drop the cookie too
        return Response.seeOther(URI.create("/login?notice=password-changed"))
            .cookie(LoginPages.cookie(WebSessionFilter.SESSION_COOKIE, "", http, 0)).build();
    }

    private Response accountPage(WebRequest web, Map<String, ?> extra, int status) {
        Actor actor = web.actor();
        User me = users.get(actor, actor.id());
        Map<String, Object> page = new HashMap<>(extra);
        page.put("user", me);
        page.put("tenant", me.tenantId().map(t -> tenants.get(actor, t).name()).orElse(""));
        page.putIfAbsent("error", "");
        page.putIfAbsent("notice", "");
        page.putIfAbsent("tokenName", "");
        page.put("tokens", tokens.list(actor));
        return pages.html(status, "account", web.model("account", page));
    }
}
