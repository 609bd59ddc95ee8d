package io.hookgate.audit;

import io.hookgate.auth.Actor;
import io.hookgate.support.KeysetPage;
import io.hookgate.tenant.TenantId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Who did what, when: every change to tenants, keys and users, every replay. Never holds a secret. Platform admins
 * and support read all of it; a tenant admin only the entries of its own tenant.
 */
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

    /** One page of entries, newest first, of what the actor may see. */
    public KeysetPage<AuditEntry, Long> search(Actor actor, AuditQuery requested) {
        AuditQuery query = requested;
        if (requested.tenantId().isPresent()) {
            actor.requireRead(requested.tenantId().get());
        } else if (actor.tenantId().isPresent()) {
            // a tenant admin's "all tenants" is its own tenant
            query = requested.ofTenant(actor.tenantId().get());
        }
        AuditQuery scoped = query;
        List<AuditEntry> found = jdbi.withExtension(AuditDao.class, dao -> dao.search(scoped));
        return KeysetPage.of(found, scoped.limit(), AuditEntry::id);
    }

    /** An entry's detail as JSON (an empty object for none); what was stored is always an object. */
    public JsonNode detail(AuditEntry entry) {
        try {
            return entry.detailJson() == null ? json.createObjectNode() : json.readTree(entry.detailJson());
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
