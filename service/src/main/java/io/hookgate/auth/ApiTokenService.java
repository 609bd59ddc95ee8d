package io.hookgate.auth;

import io.dropwizard.auth.Authenticator;
import io.hookgate.audit.AuditLog;
import io.hookgate.support.Digests;
import io.hookgate.support.Problem;
import io.hookgate.support.RandomTokens;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** API tokens for scripts: {@code Authorization: Bearer hg_…}. Tokens are high-entropy, so SHA-256 suffices to store them. */
public final class ApiTokenService implements Authenticator<String, Actor> {

    static final String PREFIX = "hg_";

    private final Jdbi jdbi;
    private final RandomTokens random;
    private final AuditLog audit;
    private final Clock clock;

    public ApiTokenService(Jdbi jdbi, RandomTokens random, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.random = random;
        this.audit = audit;
        this.clock = clock;
    }

    public CreatedApiToken create(Actor actor, Optional<String> name) {
        String label = name.map(String::strip).filter(n -> !n.isEmpty()).orElse("API token");
        if (label.length() > 100) {
            throw new Problem.Invalid("name", "must be at most 100 characters");
        }
        String secret = PREFIX + random.urlSafe(32);
        Instant now = clock.instant();
        ApiToken token = jdbi.withExtension(ApiTokenDao.class, dao -> dao.find(dao.insert(actor.id(), hash(secret), label, now)).orElseThrow());
        audit.record(actor, "token.create", actor.tenantId().orElse(null), "token " + token.id(), Map.of("name", label));
        return new CreatedApiToken(token, secret);
    }

    public List<ApiToken> list(Actor actor) {
        return jdbi.withExtension(ApiTokenDao.class, dao -> dao.ofUser(actor.id()));
    }

    public void revoke(Actor actor, long id) {
        if (jdbi.withExtension(ApiTokenDao.class, dao -> dao.delete(id, actor.id())) == 0) {
            throw new Problem.NotFound("token " + id);
        }
        audit.record(actor, "token.revoke", actor.tenantId().orElse(null), "token " + id, Map.of());
    }

    @Override
    public Optional<Actor> authenticate(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] sha = hash(secret);
        return jdbi.withExtension(ApiTokenDao.class, dao -> {
            Optional<User> user = dao.userOf(sha);
            user.ifPresent(u -> dao.touch(sha, clock.instant()));
            return user.map(User::asActor);
        });
    }

    private static byte[] hash(String secret) {
        return Digests.sha256(secret.getBytes(StandardCharsets.UTF_8));
    }
}
