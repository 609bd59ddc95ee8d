package io.hookgate.ingest;

import io.hookgate.auth.Actor;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The last rejected requests of each tenant, so support can tell a customer why AIRUDDER saw errors. Bounded per
 * tenant: a flood of bad requests replaces old rows instead of filling the disk.
 */
public final class RejectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(RejectionLog.class);
    static final int EXCERPT_BYTES = 4096;

    private final Jdbi jdbi;
    private final Clock clock;
    private final int keepPerTenant;

    public RejectionLog(Jdbi jdbi, Clock clock, int keepPerTenant) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.keepPerTenant = keepPerTenant;
    }

    /** Best effort: failing to log a rejection must not change the answer AIRUDDER gets. */
    void record(TenantId tenant, RejectionReason reason, String message, Optional<String> taskId, InboundRequest request) {
        byte[] excerpt = Arrays.copyOf(request.body(), Math.min(request.body().length, EXCERPT_BYTES));
        try {
            jdbi.useTransaction(handle -> {
                RejectionDao dao = handle.attach(RejectionDao.class);
                dao.insert(tenant, clock.instant(), reason.name(), message, taskId.orElse(null), request.sourceIp(), request.body().length, excerpt);
                dao.prune(tenant, keepPerTenant);
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not record a rejection ({}) for tenant {}: {}", reason.wireName(), tenant, e.toString());
        }
    }

    /** Newest first; without a tenant, every tenant the actor may read (a tenant admin's own). */
    public KeysetPage<Rejection, Long> search(Actor actor, RejectionQuery requested) {
        if (requested.limit() < 1 || requested.limit() > 500) {
            throw new Problem.Invalid("limit", "must be between 1 and 500");
        }
        requested.tenantId().ifPresent(actor::requireRead);
        RejectionQuery query = requested.tenantId().isPresent() ? requested : requested.withTenant(actor.tenantId());
        // one more than asked: whether there is an older page
        List<Rejection> found = jdbi.withExtension(RejectionDao.class, dao -> dao.newestFirst(
            query.tenantId().map(TenantId::value).orElse(null), query.reason().map(RejectionReason::name).orElse(null),
            query.taskId().orElse(null), query.before().orElse(null), query.limit() + 1));
        return KeysetPage.of(found, query.limit(), Rejection::id);
    }
}
