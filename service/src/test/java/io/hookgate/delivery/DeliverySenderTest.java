package io.hookgate.delivery;

import io.hookgate.event.EventKind;
import io.hookgate.tenant.TenantId;
import io.hookgate.testing.TestReceiver;
import io.hookgate.testing.TestReceiver.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

/** The sender against real sockets on localhost, with the name lookup stubbed where the test is about DNS. */
class DeliverySenderTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private DeliverySender sender;

    @AfterEach
    void stopSender() {
        if (sender != null) {
            sender.stop();
        }
    }

    @Test
    void aNameThatAnswersLoopbackToTheConnectionIsNeverSentTo() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            sender = sender(false, host -> new InetAddress[] {LOOPBACK});

            AttemptResult result = send(renamed(receiver.url(), "hooks.example.com"), 5_000);

            assertThat(result.errorKind()).isEqualTo("blocked_address");
            assertThat(result.error()).startsWith("host hooks.example.com resolves to the internal address 127.0.0.1");
            Thread.sleep(200);
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void theConnectionGoesToTheAddressesTheResolverChecked() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            // the name does not exist: the receiver is reached only through the resolver's answer
            sender = sender(true, host -> new InetAddress[] {LOOPBACK});

            AttemptResult result = send(renamed(receiver.url(), "rebound.invalid"), 5_000);

            assertThat(result.statusCode()).as(result.summary()).isEqualTo(200);
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.received().get(0).header("Host")).startsWith("rebound.invalid:");
        }
    }

    @Test
    void aReceiverDrippingItsAnswerIsCutOffAtTheAttemptTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            Thread dripper = new Thread(() -> drip(server), "dripping-receiver");
            dripper.setDaemon(true);
            dripper.start();
            sender = sender(true, InetAddress::getAllByName);

            AttemptResult result = send("http://127.0.0.1:" + server.getLocalPort() + "/webhooks", 1_000);

            assertThat(result.errorKind()).as(result.summary()).isEqualTo("timeout");
            assertThat(result.durationMs()).isBetween(1_000, 2_500);
        }
    }

    @Test
    void aLargeAnswerKeepsOnlyTheFirstBytesAsItsExcerpt() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            String body = "x".repeat(100_000);
            receiver.answering(n -> new Answer(200, Map.of(), body, Duration.ZERO));
            sender = sender(true, InetAddress::getAllByName);

            AttemptResult result = send(receiver.url(), 5_000);

            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.responseExcerpt()).hasSize(ExcerptConsumer.LIMIT);
        }
    }

    @Test
    void aHeaderValueHttpCannotCarryFailsTheAttemptAsAnInvalidRequest() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            sender = sender(true, InetAddress::getAllByName);

            AttemptResult result = sender.send(target(receiver.url(), 5_000, Map.of("X-Token", DestinationMasks.MASK)), webhook())
                .get(5, TimeUnit.SECONDS);

            assertThat(result.errorKind()).isEqualTo("invalid_request");
            assertThat(receiver.received()).isEmpty();
        }
    }

    private static DeliverySender sender(boolean allowPrivate, GuardedDnsResolver.Lookup lookup) {
        return new DeliverySender(new GuardedDnsResolver(new DestinationUrlPolicy(allowPrivate), lookup), Clock.systemUTC(),
            Duration.ofSeconds(60), 16);
    }

    private AttemptResult send(String url, int timeoutMs) throws Exception {
        return sender.send(target(url, timeoutMs, Map.of()), webhook()).get(timeoutMs + 5_000L, TimeUnit.MILLISECONDS);
    }

    private static SendTarget target(String url, int timeoutMs, Map<String, String> headers) {
        DestinationSettings settings = new DestinationSettings("Receiver", URI.create(url), true, Set.of(), Optional.empty(), headers,
            new RetryPolicy(timeoutMs, 3, 1_000, 2.0, 10_000), Optional.empty(), 8);
        Destination destination = new Destination(new DestinationId(1), new TenantId(1), settings, Instant.now(), Instant.now());
        return new SendTarget(destination, List.of(SECRET), false);
    }

    private static OutgoingWebhook webhook() {
        return new OutgoingWebhook("msg_test", new TenantId(1), EventKind.CALL_COMPLETION, "{\"TaskID\":\"t\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static String renamed(String url, String host) {
        return url.replace("127.0.0.1", host);
    }

    /** Accepts one request and answers it a byte every 100 ms, never finishing within a second. */
    private static void drip(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            in.read(new byte[8192]);
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 1000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // the sender gave up
        }
    }
}
