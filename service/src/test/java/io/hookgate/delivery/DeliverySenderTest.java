package io.hookgate.delivery;

import io.hookgate.event.EventKind;
import io.hookgate.tenant.TenantId;
import io.hookgate.testing.ResettingReceiver;
import io.hookgate.testing.TestReceiver;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DeliverySenderTest {

    private static final byte[] BODY = "{\"TaskID\":\"t\"}".getBytes(StandardCharsets.UTF_8);

    private DeliverySender sender;

    @AfterEach
    void stop() throws Exception {
        if (sender != null) {
            sender.stop();
        }
    }

    @Test
    void aNameThatNowResolvesToAnInternalAddressIsNotConnectedTo() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            // saved while it resolved to a public address; DNS now answers with loopback (rebinding)
            start(false, resolvingTo(InetAddress.getLoopbackAddress()));
            AttemptResult result = send("http://rebound.example:" + port(receiver.url()) + "/hook", 2_000);

            assertThat(result.errorKind()).isEqualTo("blocked_address");
            assertThat(result.error()).contains("rebound.example", "127.0.0.1");
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void theAddressesTheGuardPassesAreTheOnesConnectedTo() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            start(true, resolvingTo(InetAddress.getLoopbackAddress()));
            AttemptResult result = send("http://receiver.example:" + port(receiver.url()) + "/hook", 2_000);

            assertThat(result.statusCode()).isEqualTo(200);
            TestReceiver.Received got = receiver.received().get(0);
            assertThat(got.header("Host")).isEqualTo("receiver.example:" + port(receiver.url()));
            assertThat(got.header("webhook-id")).isEqualTo("msg_1");
            assertThat(got.header("User-Agent")).startsWith("Hookgate/");
            assertThat(got.header("X-Custom")).isEqualTo("yes");
            assertThat(got.bodyText()).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsATimeout() throws Exception {
        try (TestReceiver receiver = TestReceiver.start().answering(n -> TestReceiver.Answer.hang(Duration.ofSeconds(5)))) {
            start(true, null);
            AttemptResult result = send(receiver.url(), 300);

            assertThat(result.errorKind()).isEqualTo("timeout");
            assertThat(result.durationMs()).isBetween(250, 4_000);
            assertThat(result.error()).as("in the reader's terms, not Jetty's").startsWith("no complete answer within the destination's timeout")
                .doesNotContain("Exception");
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        start(true, null);
        assertThat(send("http://127.0.0.1:" + closed + "/hook", 2_000).errorKind()).isEqualTo("connection_refused");
    }

    @Test
    void aConnectionResetBeforeTheAnswerIsConnectionClosedSaidPlainly() throws Exception {
        try (ResettingReceiver receiver = ResettingReceiver.start(1)) {
            start(true, null);
            AttemptResult result = send(receiver.url(), 2_000);
            assertThat(result.errorKind()).as(result.summary()).isEqualTo("connection_closed");
            assertThat(result.error()).isEqualTo("the receiver closed or reset the connection before a complete answer");
        }
    }

    @Test
    void aNameThatDoesNotResolveIsDns() throws Exception {
        start(true, null);
        assertThat(send("http://no-such-host.invalid/hook", 5_000).errorKind()).isEqualTo("dns");
    }

    @Test
    void aLargeAnswerKeepsItsFirstBytesAndRetryAfterIsRead() throws Exception {
        String large = "x".repeat(ExcerptListener.LIMIT * 3);
        try (TestReceiver receiver = TestReceiver.start().answering(n ->
            new TestReceiver.Answer(429, Map.of("Retry-After", "7"), large, Duration.ZERO))) {
            start(true, null);
            AttemptResult result = send(receiver.url(), 2_000);

            assertThat(result.statusCode()).isEqualTo(429);
            assertThat(result.responseExcerpt()).hasSize(ExcerptListener.LIMIT);
            assertThat(result.retryAfter()).contains(Duration.ofSeconds(7));
        }
    }

    private void start(boolean allowPrivate, SocketAddressResolver dns) throws Exception {
        sender = new DeliverySender(new DestinationUrlPolicy(allowPrivate), Clock.systemUTC(), Duration.ofSeconds(30), 8, dns);
        sender.start();
    }

    private AttemptResult send(String url, int timeoutMs) throws Exception {
        DestinationSettings settings = new DestinationSettings("d", URI.create(url), true, Set.of(), Optional.empty(),
            Map.of("X-Custom", "yes"), new RetryPolicy(timeoutMs, 3, 1_000, 2.0, 10_000), Optional.empty(), 8);
        Destination destination = new Destination(new DestinationId(1), new TenantId(1), settings, Instant.now(), Instant.now());
        SendTarget target = new SendTarget(destination, List.of("whsec_" + "a".repeat(32)), false);
        AttemptResult result = sender.send(target, new OutgoingWebhook("msg_1", new TenantId(1), EventKind.CALL_COMPLETION, BODY))
            .get(10, TimeUnit.SECONDS);
        if (result.errorKind() != null) {
            assertThat(AttemptResult.ERROR_KINDS).as("a kind support can filter dead letters by").contains(result.errorKind());
        }
        return result;
    }

    /** A resolver that answers every name with this address. */
    private static SocketAddressResolver resolvingTo(InetAddress address) {
        return (host, port, context, promise) -> promise.succeeded(List.of(new InetSocketAddress(address, port)));
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }
}
