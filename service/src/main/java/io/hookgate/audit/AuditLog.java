package io.hookgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.auth.Actor;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.Map;

/** Who did what, when: every change to tenants, keys and users, every replay. Never holds a secret. */
public final class AuditLog {

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json;

    public AuditLog(Jdbi jdbi, Clock clock, ObjectMapper json) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
    }

    public void record(Actor actor, String action, TenantId tenant, String target, Map<String, ?> detail) {
        String detailJson;
        try {
            detailJson = json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serializable", e);
        }
        jdbi.useExtension(AuditDao.class, dao -> dao.insert(clock.instant(), actor == null ? null : actor.id(),
            actor == null ? "system" : actor.email(), action, tenant, target, detailJson));
    }
}
