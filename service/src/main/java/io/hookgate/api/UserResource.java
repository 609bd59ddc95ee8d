package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.auth.Role;
import io.hookgate.auth.User;
import io.hookgate.auth.UserChanges;
import io.hookgate.auth.UserId;
import io.hookgate.auth.UserService;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Optional;

@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class UserResource {

    public record CreateUser(String email, String password, String role, Long tenantId) {
    }

    public record UpdateUser(String role, Long tenantId, Boolean disabled, String password) {
    }

    private final UserService users;

    public UserResource(UserService users) {
        this.users = users;
    }

    @POST
    public Response create(@Auth Actor actor, CreateUser body) {
        if (body == null || body.role() == null) {
            throw new Problem.Invalid("role", "is required: platform_admin, tenant_admin or support");
        }
        User user = users.create(actor, body.email(), body.password(), Role.fromWireName(body.role()),
            Optional.ofNullable(body.tenantId()).map(TenantId::new));
        return Response.created(URI.create("/api/v1/users/" + user.id())).entity(UserJson.of(user)).build();
    }

    @GET
    public List<UserJson> list(@Auth Actor actor) {
        return users.list(actor).stream().map(UserJson::of).toList();
    }

    @GET
    @Path("/me")
    public UserJson me(@Auth Actor actor) {
        return UserJson.of(users.get(actor, actor.id()));
    }

    @GET
    @Path("/{id}")
    public UserJson get(@Auth Actor actor, @PathParam("id") long id) {
        return UserJson.of(users.get(actor, new UserId(id)));
    }

    @POST
    @Path("/{id}/unlock")
    public UserJson unlock(@Auth Actor actor, @PathParam("id") long id) {
        return UserJson.of(users.unlock(actor, new UserId(id)));
    }

    @PATCH
    @Path("/{id}")
    public UserJson update(@Auth Actor actor, @PathParam("id") long id, UpdateUser body) {
        UpdateUser changes = body == null ? new UpdateUser(null, null, null, null) : body;
        return UserJson.of(users.update(actor, new UserId(id), new UserChanges(
            Optional.ofNullable(changes.role()).map(Role::fromWireName),
            Optional.ofNullable(changes.tenantId()).map(TenantId::new),
            Optional.ofNullable(changes.disabled()), Optional.ofNullable(changes.password()))));
    }
}
