package io.hookgate.web;

import io.hookgate.auth.Actor;
import io.hookgate.auth.Role;
import io.hookgate.auth.User;
import io.hookgate.auth.UserChanges;
import io.hookgate.auth.UserId;
import io.hookgate.auth.UserService;
import io.hookgate.support.Problem;
import io.hookgate.tenant.Tenant;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
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

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Users: the list with a create form, and one user's page (role, tenant, disabled, password reset). Platform admins
 * manage everyone; a tenant admin only the tenant admins of its own tenant, so its forms offer nothing else; support
 * manages no one (the service refuses, 403). Your own account is changed on the account page, with your password.
 */
@Path("/users")
@Produces(MediaType.TEXT_HTML)
public final class UserPages {

    private final UserService users;
    private final TenantService tenants;
    private final Pages pages;

    public UserPages(UserService users, TenantService tenants, Pages pages) {
        this.users = users;
        this.tenants = tenants;
        this.pages = pages;
    }

    /** What the create form holds: kept when the form comes back with an error, except the password. */
    record Draft(String email, String role, String tenant) {
        static final Draft EMPTY = new Draft("", "", "");
    }

    @GET
    public Response list(@Context ContainerRequestContext request, @QueryParam("notice") String notice) {
        WebRequest web = Pages.web(request);
        return listPage(web, Draft.EMPTY, null, null, Notices.text(notice), 200);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@Context ContainerRequestContext request, @FormParam("email") String email,
                           @FormParam("password") String password, @FormParam("role") String role,
                           @FormParam("tenant") String tenant) {
        WebRequest web = Pages.web(request);
        Actor actor = web.actor();
        Draft draft = new Draft(email == null ? "" : email, role == null ? "" : role, tenant == null ? "" : tenant);
        try {
            // a tenant admin's form offers only tenant admins of its own tenant
            Role chosen = actor.role() == Role.TENANT_ADMIN && blank(role) ? Role.TENANT_ADMIN : parseRole(role);
            Optional<TenantId> tenantId = actor.role() == Role.TENANT_ADMIN && blank(tenant) ? actor.tenantId() : parseTenant(tenant);
            users.create(actor, email, password, chosen, tenantId);
            return Pages.redirect("/users?notice=user-created");
        } catch (Problem.Invalid e) {
            return listPage(web, draft, FormErrors.message(e), e.field(), "", 400);
        } catch (Problem.Conflict e) {
            return listPage(web, draft, e.getMessage(), "email", "", 409);
        }
    }

    @GET
    @Path("/{id}")
    public Response user(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("notice") String notice) {
        WebRequest web = Pages.web(request);
        if (web.actor().id().value() == id) {
            return Pages.redirect("/account");
        }
        User user = users.get(web.actor(), new UserId(id));
        return userPage(web, user, draftOf(user), user.disabled(), null, null, Notices.text(notice), 200);
    }

    @POST
    @Path("/{id}/unlock")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unlock(@Context ContainerRequestContext request, @PathParam("id") long id) {
        users.unlock(Pages.web(request).actor(), new UserId(id));
        return Pages.redirect("/users/" + id + "?notice=user-unlocked");
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("role") String role,
                         @FormParam("tenant") String tenant, @FormParam("disabled") String disabled,
                         @FormParam("password") String password) {
        WebRequest web = Pages.web(request);
        Actor actor = web.actor();
        if (actor.id().value() == id) {
            // a stolen session must not change the password without knowing it: the account page asks for it
            throw new Problem.Forbidden("change your own password on the Account page");
        }
        User before = users.get(actor, new UserId(id));
        boolean disable = "on".equals(disabled);
        Draft draft = new Draft(before.email(), role == null ? before.role().wireName() : role,
            tenant == null ? before.tenantId().map(TenantId::toString).orElse("") : tenant);
        try {
            // only what differs is a change: the service refuses access changes that were not asked for
            Optional<Role> newRole = blank(role) ? Optional.empty() : Optional.of(parseRole(role)).filter(r -> r != before.role());
            Optional<TenantId> newTenant = tenant == null ? Optional.empty()
                : parseTenant(tenant).filter(t -> !before.tenantId().equals(Optional.of(t)));
            Optional<Boolean> newDisabled = Optional.of(disable).filter(d -> d != before.disabled());
            Optional<String> newPassword = Optional.ofNullable(password).filter(p -> !p.isEmpty());
            users.update(actor, before.id(), new UserChanges(newRole, newTenant, newDisabled, newPassword));
            return Pages.redirect("/users/" + id + "?notice=user-saved");
        } catch (Problem.Invalid e) {
            return userPage(web, before, draft, disable, FormErrors.message(e), e.field(), "", 400);
        }
    }

    private Response listPage(WebRequest web, Draft draft, String error, String errorField, String notice, int status) {
        Actor actor = web.actor();
        List<User> all = users.list(actor); // support: 403 here
        Map<Long, String> tenantNames = tenantNames(actor);
        Map<String, Object> page = new HashMap<>();
        page.put("rows", all.stream().map(u -> Map.of("user", u, "tenant", tenantLabel(u.tenantId(), tenantNames),
            "self", u.id().equals(actor.id()))).toList());
        page.put("draft", draft);
        page.putAll(choices(actor));
        page.put("ownTenant", actor.tenantId().map(t -> tenantNames.getOrDefault(t.value(), "tenant " + t)).orElse(""));
        page.put("error", error == null ? "" : error);
        page.put("errorField", errorField == null ? "" : errorField);
        page.put("notice", notice);
        return pages.html(status, "users", web.model("users", page));
    }

    private Response userPage(WebRequest web, User user, Draft draft, boolean disabled, String error, String errorField, String notice,
                              int status) {
        Actor actor = web.actor();
        Map<Long, String> tenantNames = tenantNames(actor);
        Map<String, Object> page = new HashMap<>();
        page.put("user", user);
        page.put("tenant", tenantLabel(user.tenantId(), tenantNames));
        page.put("draft", draft);
        page.put("disabled", disabled);
        page.putAll(choices(actor));
        page.put("error", error == null ? "" : error);
        page.put("errorField", errorField == null ? "" : errorField);
        page.put("notice", notice);
        return pages.html(status, "user", web.model("users", page));
    }

    /** The roles and tenants the actor may give a user: a tenant admin chooses neither. */
    private Map<String, Object> choices(Actor actor) {
        boolean platform = actor.isPlatformAdmin();
        return Map.of(
            "chooseAccess", platform,
            "roles", platform ? Arrays.stream(Role.values()).map(Role::wireName).toList() : List.of(),
            "tenants", platform ? tenants.list(actor, Optional.empty()) : List.of());
    }

    private Map<Long, String> tenantNames(Actor actor) {
        return tenants.list(actor, Optional.empty()).stream().collect(Collectors.toMap(t -> t.id().value(), Tenant::name, (a, b) -> a));
    }

    private static String tenantLabel(Optional<TenantId> tenant, Map<Long, String> names) {
        return tenant.map(t -> names.getOrDefault(t.value(), "tenant " + t)).orElse("");
    }

    private static Draft draftOf(User user) {
        return new Draft(user.email(), user.role().wireName(), user.tenantId().map(TenantId::toString).orElse(""));
    }

    private static Role parseRole(String role) {
        if (blank(role)) {
            throw new Problem.Invalid("role", "choose one");
        }
        return Role.fromWireName(role.strip());
    }

    private static Optional<TenantId> parseTenant(String tenant) {
        if (blank(tenant)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TenantId(Long.parseLong(tenant.strip())));
        } catch (NumberFormatException e) {
            throw new Problem.Invalid("tenantId", "choose a tenant from the list");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
