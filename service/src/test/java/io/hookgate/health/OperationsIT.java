package io.hookgate.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an operator's monitoring sees on the admin port: health checks and Prometheus metrics. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OperationsIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();

    private final Http adminPort = Http.anonymous("http://localhost:" + APP.getAdminPort());

    @Test
    void healthChecksCoverTheDatabaseTheWorkerAndTheBacklog() {
        Http.Reply health = adminPort.get("/healthcheck");
        assertThat(health.status()).isEqualTo(200);
        JsonNode checks = health.json();
        for (String name : new String[] {"postgresql", "delivery-worker", "delivery-backlog", "circuits", "retention"}) {
            assertThat(checks.get(name).get("healthy").asBoolean()).as(name).isTrue();
        }
        assertThat(checks.get("delivery-backlog").has("backlog")).isTrue();
    }

    @Test
    void theAdminPortWithoutAuthenticationAnswersOnLoopbackOnly() throws Exception {
        InetAddress external = NetworkInterface.networkInterfaces().filter(UpInterfaces::up).filter(i -> !UpInterfaces.loopback(i))
            .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst()
            .orElseThrow(() -> new AssertionError("this machine has no IPv4 address besides loopback to try"));
        try (Socket application = new Socket()) {
            application.connect(new InetSocketAddress(external, APP.getLocalPort()), 2000);
            assertThat(application.isConnected()).as("the application port is reachable at " + external).isTrue();
        }
        try (Socket admin = new Socket()) {
            assertThatThrownBy(() -> admin.connect(new InetSocketAddress(external, APP.getAdminPort()), 2000))
                .as("the admin port at " + external).isInstanceOf(ConnectException.class);
        }
        assertThat(adminPort.get("/healthcheck").status()).isEqualTo(200);
    }

    /** NetworkInterface's checks throw a checked exception, which streams cannot. */
    private static final class UpInterfaces {
        static boolean up(NetworkInterface i) {
            try {
                return i.isUp();
            } catch (SocketException e) {
                return false;
            }
        }

        static boolean loopback(NetworkInterface i) {
            try {
                return i.isLoopback();
            } catch (SocketException e) {
                return true;
            }
        }
    }

    @Test
    void prometheusShowsIngestByTenantAndOutcomeDeliveriesAndAckLatency() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Metrics tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            addDestination(tenant, receiver);
            Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
            airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
            airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
            airudder.post(tenant.callbackUrl(), "not json");
            receiver.await(r -> r.size() == 1, Duration.ofSeconds(10));
            awaitMetric("hookgate_delivery_outcome_succeeded_total"); // recorded just after the receiver answers
        }

        String metrics = adminPort.get("/prometheus").body();
        String id = String.valueOf(tenant.id());
        assertThat(metrics).contains("hookgate_ingest_tenant_" + id + "_stored_total 1.0")
            .contains("hookgate_ingest_tenant_" + id + "_duplicate_total 1.0")
            .contains("hookgate_ingest_tenant_" + id + "_invalid_json_total 1.0")
            .contains("hookgate_ingest_notifications_total{outcome=\"stored\",tenant=\"" + id + "\"} 1.0")
            .contains("hookgate_ingest_notifications_total{outcome=\"invalid_json\",tenant=\"" + id + "\"} 1.0")
            .contains("hookgate_circuit_open{destination=\"")
            .contains("hookgate_delivery_outcome_succeeded_total")
            .contains("hookgate_ingest_ack")
            .contains("hookgate_delivery_attempt")
            .contains("hookgate_delivery_backlog");
        assertThat(metrics).doesNotContain("hookgate_delivery_outcome_retry_total");
    }

    @Test
    void pausedDeliveryKeepsEventsWaitingUntilResumedAndTheHealthCheckSaysSo() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Paused tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            addDestination(tenant, receiver);
            try {
                Http.Reply paused = adminPort.post("/tasks/delivery-pause", "");
                assertThat(paused.status()).isEqualTo(200);
                assertThat(paused.body()).contains("delivery paused");
                Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
                assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);

                Thread.sleep(1500); // several poll intervals
                assertThat(receiver.received()).as("nothing is sent while paused").isEmpty();
                JsonNode worker = adminPort.get("/healthcheck").json().get("delivery-worker");
                assertThat(worker.get("healthy").asBoolean()).isTrue();
                assertThat(worker.get("paused").asBoolean()).isTrue();
                assertThat(worker.get("message").asText()).contains("paused by an operator");
                Http.Reply ready = adminPort.get("/ready");
                assertThat(ready.status()).as("still taking notifications: a load balancer keeps it").isEqualTo(200);
                assertThat(ready.json().get("ready").asBoolean()).isTrue();
            } finally {
                adminPort.post("/tasks/delivery-resume", "");
            }
            receiver.await(r -> r.size() == 1, Duration.ofSeconds(10));
            assertThat(adminPort.get("/healthcheck").json().get("delivery-worker").get("paused").asBoolean()).isFalse();
        }
    }

    private static long addDestination(TestTenant tenant, TestReceiver receiver) {
        Http.Reply created = HookgateTestApp.admin(APP).post("/api/v1/tenants/" + tenant.id() + "/destinations",
            Http.json(Map.of("name", "Receiver", "url", receiver.url())));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    @Test
    void aDeletedDestinationLeavesNoCircuitGaugeBehind() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Deleted gauge tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = addDestination(tenant, receiver);
            Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
            receiver.await(r -> r.size() == 1, Duration.ofSeconds(10));
            String gauge = "hookgate_circuit_open{destination=\"" + destination + "\"}";
            awaitMetric(gauge);

            assertThat(HookgateTestApp.admin(APP).delete("/api/v1/destinations/" + destination).status()).isEqualTo(204);
            assertThat(adminPort.get("/prometheus").body()).doesNotContain(gauge);
        }
    }

    private void awaitMetric(String name) throws InterruptedException {
        for (int i = 0; i < 100 && !adminPort.get("/prometheus").body().contains(name); i++) {
            Thread.sleep(50);
        }
    }
}
