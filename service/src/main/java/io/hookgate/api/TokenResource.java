package io.hookgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.auth.ApiToken;
import io.hookgate.auth.ApiTokenService;
import io.hookgate.auth.CreatedApiToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The caller's own API tokens. The token itself is in the creation answer only. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class TokenResource {

    public record CreateToken(String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenJson(long id, String name, String token, String createdAt, String lastUsedAt) {
        static TokenJson of(ApiToken t, String secret) {
            return new TokenJson(t.id(), t.name(), secret, t.createdAt().toString(),
                t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        }
    }

    private final ApiTokenService tokens;

    public TokenResource(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    @POST
    public Response create(@Auth Actor actor, CreateToken body) {
        CreatedApiToken created = tokens.create(actor, Optional.ofNullable(body).map(CreateToken::name));
        return Response.created(URI.create("/api/v1/tokens/" + created.token().id()))
            .entity(TokenJson.of(created.token(), created.secret())).build();
    }

    @GET
    public List<TokenJson> list(@Auth Actor actor) {
        return tokens.list(actor).stream().map(t -> TokenJson.of(t, null)).toList();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@Auth Actor actor, @PathParam("id") long id) {
        tokens.revoke(actor, id);
        return Response.noContent().build();
    }
}
