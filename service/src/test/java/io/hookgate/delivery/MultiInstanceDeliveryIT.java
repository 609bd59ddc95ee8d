package io.hookgate.delivery;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestDatabase;
import io.hookgate.testing.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Several instances share one PostgreSQL: SKIP LOCKED claims under a lease, so no attempt is made twice. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MultiInstanceDeliveryIT {

    static final String DATABASE = TestDatabase.fresh();
    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(HookgateTestApp.settings(DATABASE));
    static final DropwizardAppExtension<HookgateConfiguration> SECOND = HookgateTestApp.extension(HookgateTestApp.settings(DATABASE));

    private final Http admin = HookgateTestApp.admin(APP);
    private final Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));

    @Test
    void twoInstancesOnOneDatabaseDeliverEachEventExactlyOnce() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Two instances tenant");
        TestReceiver receiver = TestReceiver.start();
        Map<String, Object> destination = new HashMap<>(Map.of("name", "Receiver", "url", receiver.url(), "maxInFlight", 32));
        assertThat(admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(destination)).status()).isEqualTo(201);
        Http second = Http.anonymous(HookgateTestApp.baseUrl(SECOND));
        String secondUrl = HookgateTestApp.baseUrl(SECOND) + tenant.callbackUrl().substring(tenant.callbackUrl().indexOf("/hooks/"));

        int events = 200;
        for (int i = 0; i < events; i++) {
            if (i % 2 == 0) {
                assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
            } else {
                assertThat(second.postBytes(secondUrl, AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
            }
        }

        receiver.await(r -> r.size() >= events, Duration.ofSeconds(30));
        Thread.sleep(1500); // room for a duplicate to show up
        Map<String, Long> perWebhookId = receiver.received().stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertThat(perWebhookId).hasSize(events);
        assertThat(perWebhookId.values()).allMatch(n -> n == 1);
        receiver.close();
    }
}
