package io.hookgate.replay;

import io.hookgate.delivery.DestinationId;
import io.hookgate.store.LongIdArguments;
import io.hookgate.tenant.TenantId;
import io.hookgate.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay of missed events goes through its range a window at a time, by time received and id: every event once,
 * those received at the same instant too, and only those the destination takes and never got.
 */
class MissedEventsWindowIT {

    @Test
    void windowsCoverTheRangeOnceEachEventsOfOneInstantIncludedAndMarkOnlyWhatTheDestinationMissed() {
        Jdbi jdbi = Jdbi.create(TestDatabase.migrated()).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        jdbi.registerArgument(new LongIdArguments());
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
        long tenant = jdbi.withHandle(h -> h.createQuery("insert into tenants (name, status, callback_token, created_at, updated_at) "
            + "values ('Acme', 'active', 'token-1', now(), now()) returning id").mapTo(Long.class).one());
        long destination = jdbi.withHandle(h -> h.createQuery("insert into destinations (tenant_id, name, url, kinds, timeout_ms, "
            + "max_attempts, backoff_initial_ms, backoff_multiplier, backoff_max_ms, max_in_flight, created_at, updated_at) "
            + "values (:tenant, 'CRM', 'https://example.com/hook', '{call_completion}', 10000, 12, 5000, 3.0, 21600000, 8, now(), now()) "
            + "returning id").bind("tenant", tenant).mapTo(Long.class).one());
        // seven events, three of them received at one instant; one of another kind, one delivered already
        List<Long> ids = new ArrayList<>();
        int[] secondsIn = {0, 1, 1, 1, 2, 3, 4};
        for (int i = 0; i < secondsIn.length; i++) {
            String kind = i == 5 ? "workflow_status" : "call_completion";
            Instant at = start.plusSeconds(secondsIn[i]);
            int n = i;
            ids.add(jdbi.withHandle(h -> h.createQuery("insert into events (tenant_id, kind, signed, body, body_sha256, received_at, headers, "
                    + "call_count) values (:tenant, :kind, true, convert_to('{}', 'UTF8'), sha256(convert_to(:n, 'UTF8')), :at, '{}', 0) "
                    + "returning id")
                .bind("tenant", tenant).bind("kind", kind).bind("n", String.valueOf(n)).bind("at", at).mapTo(Long.class).one()));
        }
        jdbi.useHandle(h -> h.createUpdate("insert into deliveries (tenant_id, event_id, destination_id, webhook_id, status, "
                + "next_attempt_at, created_at, updated_at) values (:tenant, :event, :destination, 'msg_x', 'succeeded', now(), now(), now())")
            .bind("tenant", tenant).bind("event", ids.get(6)).bind("destination", destination).execute());

        ReplayDao dao = jdbi.onDemand(ReplayDao.class);
        List<ReplayDao.ExaminedEvent> examined = new ArrayList<>();
        Instant afterAt = null;
        long afterId = 0;
        for (int windows = 0; windows < 10; windows++) {
            List<ReplayDao.ExaminedEvent> window = dao.nextExamined(new TenantId(tenant), new DestinationId(destination), start,
                start.plusSeconds(60), afterAt, afterId, 2);
            if (window.isEmpty()) {
                break;
            }
            examined.addAll(window);
            afterAt = window.get(window.size() - 1).receivedAt();
            afterId = window.get(window.size() - 1).id();
        }
        assertThat(examined).extracting(ReplayDao.ExaminedEvent::id).as("every event once, in the order received").containsExactlyElementsOf(ids);
        assertThat(examined.stream().filter(ReplayDao.ExaminedEvent::missed).map(ReplayDao.ExaminedEvent::id))
            .as("not the other kind, nor the one delivered").containsExactlyElementsOf(ids.subList(0, 5));
        assertThat(dao.countMissed(new DestinationId(destination), start, start.plusSeconds(60))).isEqualTo(5);
        assertThat(dao.countMissed(new DestinationId(destination), start.plusSeconds(1), start.plusSeconds(2)))
            .as("[from, to): the instant's three").isEqualTo(3);
    }
}
