package io.hookgate.faults;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.ingest.AirudderSignature;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and malformed requests against one tenant's callback URL: a bounded, reproducible fuzz run (fixed seed)
 * of broken, oversized, mistyped and mis-encoded bodies, some of them correctly signed; oversized headers; and
 * clients that drip their body. What AIRUDDER (or an attacker) may see is a 200 {@code {}} for a verified,
 * stored notification or a 4xx: never a 5xx, never a hang, and nothing unverified is stored.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HostileInputIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();

    private static final long SEED = 0x5EED_F022_2024L;
    private static final int FUZZ_REQUESTS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final Http admin = HookgateTestApp.admin(APP);

    @Test
    void fuzzedBodiesNeverGetA5xxAndOnlyVerifiedNotificationsAreStored() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Fuzzed tenant");
        Fuzzer fuzzer = new Fuzzer(new Random(SEED), tenant.key());
        List<FuzzCase> cases = new ArrayList<>();
        for (int i = 0; i < FUZZ_REQUESTS; i++) {
            cases.add(fuzzer.next(i));
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (FuzzCase c : cases) {
            futures.add(pool.submit(() -> post(tenant.callbackUrl(), c)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            outcomes.add(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();

        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Map<String, Integer>> byCategory = new TreeMap<>();
        Set<String> acceptedDigests = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Outcome o : outcomes) {
            String status = o.status() < 0 ? "closed" : String.valueOf(o.status());
            statuses.merge(status, 1, Integer::sum);
            byCategory.computeIfAbsent(o.fuzzCase().category(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
            if (o.status() >= 500) {
                problems.add(o.describe("5xx"));
            } else if (o.status() == 200) {
                if (!"{}".equals(o.body())) {
                    problems.add(o.describe("200 with a body other than {}"));
                }
                acceptedDigests.add(sha256(o.fuzzCase().body()));
            } else if (o.status() < 0) {
                // the server may cut an upload it refused for its size; any other body must get an answer
                if (o.fuzzCase().body().length <= 1024 * 1024) {
                    problems.add(o.describe("no answer"));
                }
            } else if (o.status() >= 400) {
                if (!isErrorBody(o.body())) {
                    problems.add(o.describe("4xx without an {error, message} body"));
                }
            } else {
                problems.add(o.describe("unexpected status"));
            }
        }
        assertThat(problems).as("hostile bodies answered wrongly (" + problems.size() + ")")
            .isEmpty();

        Map<String, JsonNode> stored = storedEvents(tenant.id());
        assertThat(stored.keySet()).as("the stored events are exactly the distinct bodies answered 200")
            .hasSameSizeAs(acceptedDigests)
            .containsExactlyInAnyOrderElementsOf(acceptedDigests);
        int signedStored = 0;
        Map<String, Integer> kinds = new TreeMap<>();
        for (JsonNode event : stored.values()) {
            kinds.merge(event.get("kind").asText(), 1, Integer::sum);
            JsonNode payload = JSON.readTree(event.get("rawBody").asText());
            boolean claimsSignature = payload.has("TaskID") || payload.has("Sign") || payload.has("Details");
            if (claimsSignature) {
                signedStored++;
                assertThat(event.get("signed").asBoolean()).as("event %s carries TaskID/Sign/Details", event.get("id")).isTrue();
                JsonNode taskId = payload.get("TaskID");
                JsonNode sign = payload.get("Sign");
                assertThat(taskId != null && taskId.isTextual() && sign != null && sign.isTextual()
                    && AirudderSignature.matches(taskId.asText(), sign.asText(), tenant.key().getBytes(StandardCharsets.UTF_8)))
                    .as("stored event %s has a Sign that verifies with the tenant's KEY: %s", event.get("id"), excerpt(event.get("rawBody").asText()))
                    .isTrue();
            } else {
                assertThat(event.get("signed").asBoolean()).isFalse();
            }
        }

        Http.Reply still = Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(),
            AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskName", "after the fuzz run")));
        assertThat(still.status()).as("a normal notification after the fuzz run").isEqualTo(200);
        assertThat(still.body()).isEqualTo("{}");

        System.out.printf("HostileInputIT fuzz: seed=%d requests=%d statuses=%s stored=%d (signed %d, kinds %s) byCategory=%s%n",
            SEED, outcomes.size(), statuses, stored.size(), signedStored, kinds, byCategory);
    }

    @Test
    void oversizedAndMalformedHeadersGetA4xxOrAClosedConnectionNeverA5xx() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Header tenant");
        String path = URI.create(tenant.callbackUrl()).getPath();
        int port = APP.getLocalPort();
        Random random = new Random(SEED + 1);

        record HeaderCase(String name, String headers, boolean mayBeStored) {
        }
        List<HeaderCase> cases = List.of(
            new HeaderCase("64 KiB custom header", "X-Fuzz: " + "a".repeat(64 * 1024) + "\r\n", false),
            new HeaderCase("200 KiB custom header", "X-Fuzz: " + "b".repeat(200 * 1024) + "\r\n", false),
            new HeaderCase("9 KiB User-Agent", "User-Agent: " + "c".repeat(9 * 1024) + "\r\n", false),
            new HeaderCase("2000 small headers", repeatHeaders(2000), false),
            new HeaderCase("64 KiB header name", "X-" + "n".repeat(64 * 1024) + ": v\r\n", false),
            new HeaderCase("6 KiB X-Request-Id (under the limit)", "X-Request-Id: " + "r".repeat(6 * 1024) + "\r\n", true),
            new HeaderCase("NUL in a kept header", "User-Agent: a\u0000b\r\n", true),
            new HeaderCase("control byte in a kept header", "X-Request-Id: a\u0001b\r\n", true),
            new HeaderCase("Latin-1 bytes in a kept header", "User-Agent: caf\u00e9 \u00ff\u00fe\r\n", true),
            new HeaderCase("obsolete line folding", "X-Request-Id: one\r\n two\r\n", true),
            new HeaderCase("two Content-Length headers", "Content-Length: 5\r\n", false));

        Map<String, Integer> statuses = new TreeMap<>();
        Set<String> acceptedDigests = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (HeaderCase c : cases) {
            byte[] body = AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskName", "header case " + random.nextInt()));
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n" + c.headers() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            RawReply reply = RawHttp.exchange(port, concat(head, body), Duration.ofSeconds(10));
            statuses.merge(reply.label(), 1, Integer::sum);
            if (reply.timedOut()) {
                problems.add(c.name() + ": no answer and no close within 10 s");
            } else if (reply.status() >= 500) {
                problems.add(c.name() + ": " + reply);
            } else if (reply.status() == 200) {
                if (!c.mayBeStored()) {
                    problems.add(c.name() + ": accepted (" + reply + ")");
                }
                assertThat(reply.body()).as(c.name()).isEqualTo("{}");
                acceptedDigests.add(sha256(body));
            } else if (reply.status() >= 0 && reply.status() < 400) {
                problems.add(c.name() + ": " + reply);
            } else if (reply.status() >= 400 && !isErrorBody(reply.body())) {
                problems.add(c.name() + ": not a JSON error body: " + reply);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(statuses).as("Jetty's own refusals among them").containsKey("431");
        assertThat(storedEvents(tenant.id()).keySet()).containsExactlyInAnyOrderElementsOf(acceptedDigests);
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { }))
            .status()).as("a normal notification after the header cases").isEqualTo(200);
        System.out.printf("HostileInputIT headers: requests=%d statuses=%s stored=%d%n", cases.size(), statuses, acceptedDigests.size());
    }

    @Test
    void slowDripBodiesDoNotHoldUpOtherNotifications() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Slow drip tenant");
        String path = URI.create(tenant.callbackUrl()).getPath();
        int port = APP.getLocalPort();
        ExecutorService drips = Executors.newCachedThreadPool();

        // one or more clients that promise 2000 bytes and send one every 200 ms for 3 s, then stop sending
        List<Future<RawReply>> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // 15 bytes, one every 200 ms
            stalled.add(drips.submit(() -> drip(port, path, 2000, "{\"TaskID\":\"abc\"".getBytes(StandardCharsets.US_ASCII),
                15, Duration.ofMillis(200))));
        }
        // a slow but honest client: a whole signed notification, in 15 pieces over 3 s
        byte[] honest = JSON.writeValueAsBytes(JSON.readTree(AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskName", "slow but whole"))));
        Future<RawReply> slowHonest = drips.submit(() -> drip(port, path, honest.length, honest, 15, Duration.ofMillis(200)));

        // meanwhile, normal notifications are answered promptly
        Set<String> acceptedDigests = new HashSet<>();
        acceptedDigests.add(sha256(honest));
        List<Long> latencies = new ArrayList<>();
        Thread.sleep(300);
        for (int i = 0; i < 10; i++) {
            byte[] body = AirudderPayloads.signedUnique(tenant.key(), p -> { });
            long started = System.nanoTime();
            HttpResponse<String> reply = CLIENT.send(HttpRequest.newBuilder(URI.create(tenant.callbackUrl()))
                .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            latencies.add(millis);
            assertThat(reply.statusCode()).as("normal notification %d while bodies drip in", i).isEqualTo(200);
            assertThat(millis).as("answered within 2 s").isLessThan(2000);
            acceptedDigests.add(sha256(body));
            Thread.sleep(250);
        }

        List<String> stalledAnswers = new ArrayList<>();
        for (Future<RawReply> f : stalled) {
            RawReply reply = f.get(20, TimeUnit.SECONDS);
            stalledAnswers.add(reply.label());
            assertThat(reply.timedOut()).as("a truncated body is answered or its connection closed: %s", reply).isFalse();
            assertThat(reply.status()).as("a truncated body: %s", reply).isLessThan(500).isNotEqualTo(200);
        }
        RawReply honestReply = slowHonest.get(20, TimeUnit.SECONDS);
        assertThat(honestReply.status()).as("the slow but whole notification: %s", honestReply).isEqualTo(200);
        assertThat(honestReply.body()).isEqualTo("{}");
        drips.shutdown();

        assertThat(storedEvents(tenant.id()).keySet()).containsExactlyInAnyOrderElementsOf(acceptedDigests);
        System.out.printf("HostileInputIT slow-drip: parallel=%d latenciesMs=%s truncatedDrips=%s slowWholeBody=%s stored=%d%n",
            latencies.size(), latencies, stalledAnswers, honestReply.label(), acceptedDigests.size());
    }

    // --- sending ------------------------------------------------------------------------------------------------

    record FuzzCase(int index, String category, byte[] body, String contentType) {
    }

    record Outcome(FuzzCase fuzzCase, int status, String body, String error) {
        String describe(String problem) {
            return problem + ": case " + fuzzCase.index() + " (" + fuzzCase.category() + ", " + fuzzCase.body().length + " bytes: "
                + excerpt(new String(fuzzCase.body(), StandardCharsets.UTF_8)) + ") → " + (status < 0 ? error : status + " " + excerpt(body));
        }
    }

    private static Outcome post(String url, FuzzCase c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(c, response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new Outcome(c, -1, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static RawReply drip(int port, String path, int contentLength, byte[] bytes, int pieces, Duration pause) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int step = Math.max(1, (bytes.length + pieces - 1) / pieces);
            int sent = 0;
            for (int i = 0; i < pieces && sent < bytes.length; i++) {
                int n = Math.min(step, bytes.length - sent);
                out.write(bytes, sent, n);
                out.flush();
                sent += n;
                sleep(pause);
            }
            if (sent < bytes.length) {
                out.write(bytes, sent, bytes.length - sent);
                out.flush();
            }
            if (sent < contentLength) {
                socket.shutdownOutput(); // the client gives up: the server sees the body end early
            }
            return RawHttp.read(socket, Duration.ofSeconds(10));
        }
    }

    private Map<String, JsonNode> storedEvents(long tenantId) throws IOException {
        Map<String, JsonNode> byDigest = new TreeMap<>();
        String cursor = null;
        do {
            Http.Reply page = admin.get("/api/v1/tenants/" + tenantId + "/events?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as("event search: %s", page).isEqualTo(200);
            JsonNode json = page.json();
            for (JsonNode item : json.get("items")) {
                Http.Reply full = admin.get("/api/v1/events/" + item.get("id").asLong());
                assertThat(full.status()).as("event %s: %s", item.get("id"), excerpt(full.body())).isEqualTo(200);
                JsonNode event = full.json();
                String digest = sha256(event.get("rawBody").asText().getBytes(StandardCharsets.UTF_8));
                assertThat(event.get("bodySha256").asText()).isEqualTo(digest);
                assertThat(byDigest.put(digest, event)).as("one event per distinct body").isNull();
            }
            cursor = json.get("nextCursor").isNull() ? null : json.get("nextCursor").asText();
        } while (cursor != null);
        return byDigest;
    }

    // --- generating hostile bodies ----------------------------------------------------------------------------

    /** Deterministic for a seed: every request of a run can be regenerated from the seed and its index. */
    static final class Fuzzer {

        private static final String HOLE = "HOLE-7f3a9c0e";
        private static final List<String> KEY_POINTERS = List.of("/TaskID", "/Sign", "/Details", "/Details/0", "/Details/0/CallID",
            "/Details/0/CaseID", "/Details/0/CalleeNumber", "/Details/0/Status", "/workflow_id", "/TaskName", "/Details/0/AsrResult");
        private static final byte[][] FRAGMENTS = {
            b("{"), b("}"), b("["), b("]"), b(","), b(":"), b("\""), b("null"), b("true"), b("\"\\u0000\""), b("\\"),
            b("{\"a\":1}"), b("[1,2,"), b("\"TaskID\":\"x\","), b("1e99999"), b("-0"), b("NaN"), b("Infinity"), b("/*c*/"),
            b("\"\\uD800\""), b("\\u0000"), bytes(0xFF), bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xEF, 0xBB, 0xBF), bytes(0x00), bytes(0x01), b("\"Details\":[],"), b(",\"Sign\":null")};

        private final Random rnd;
        private final String key;

        Fuzzer(Random rnd, String key) {
            this.rnd = rnd;
            this.key = key;
        }

        FuzzCase next(int index) {
            int roll = rnd.nextInt(100);
            String contentType = switch (rnd.nextInt(20)) {
                case 0 -> null;
                case 1 -> "text/plain";
                case 2 -> "application/json; charset=ISO-8859-1";
                case 3 -> "multipart/form-data; boundary=x";
                default -> "application/json";
            };
            if (roll < 8) {
                return new FuzzCase(index, "random-bytes", randomBytes(), contentType);
            } else if (roll < 36) {
                return new FuzzCase(index, "byte-mutations", mutateBytes(serialize(base())), contentType);
            } else if (roll < 50) {
                return wrongType(index, contentType);
            } else if (roll < 72) {
                return nastyValue(index, contentType);
            } else if (roll < 78) {
                return new FuzzCase(index, "duplicate-keys", duplicateKeys(), contentType);
            } else if (roll < 80) {
                return new FuzzCase(index, "20000-details", bigDetails(), contentType);
            }
            return new FuzzCase(index, "signed-variant", signedVariant(), contentType);
        }

        /** The seed, signed with the tenant's KEY, half the time with a fresh TaskID and CallID. */
        private ObjectNode base() {
            ObjectNode p = AirudderPayloads.seed();
            if (rnd.nextBoolean()) {
                p.put("TaskID", Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()));
                ((ObjectNode) p.get("Details").get(0)).put("CallID", "call-" + Long.toHexString(rnd.nextLong()));
            }
            resign(p);
            return p;
        }

        private void resign(ObjectNode p) {
            JsonNode taskId = p.get("TaskID");
            if (taskId != null && taskId.isTextual()) {
                p.put("Sign", sign(taskId.asText()));
            }
        }

        private String sign(String taskId) {
            String sign = AirudderSignature.sign(taskId, key.getBytes(StandardCharsets.UTF_8));
            return rnd.nextInt(10) == 0 ? sign.toUpperCase(Locale.ROOT) : sign;
        }

        private byte[] serialize(JsonNode p) {
            try {
                return rnd.nextBoolean() ? AirudderPayloads.bytes(p) : JSON.writeValueAsBytes(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] randomBytes() {
            byte[] bytes = new byte[rnd.nextInt(3000)];
            int mode = rnd.nextInt(3);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = mode == 0 ? (byte) (32 + rnd.nextInt(95)) : (byte) rnd.nextInt(256);
            }
            if (mode == 2 && bytes.length > 1) {
                bytes[0] = '{';
                bytes[bytes.length - 1] = '}';
            }
            return bytes;
        }

        private byte[] mutateBytes(byte[] original) {
            byte[] b = original;
            int ops = 1 + rnd.nextInt(6);
            for (int op = 0; op < ops && b.length > 2; op++) {
                int i = rnd.nextInt(b.length);
                switch (rnd.nextInt(6)) {
                    case 0 -> { // delete
                        int len = Math.min(1 + rnd.nextInt(16), b.length - i);
                        b = concat(Arrays.copyOfRange(b, 0, i), Arrays.copyOfRange(b, i + len, b.length));
                    }
                    case 1 -> { // duplicate
                        int len = Math.min(1 + rnd.nextInt(64), b.length - i);
                        int at = rnd.nextInt(b.length);
                        b = concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, i, i + len), Arrays.copyOfRange(b, at, b.length));
                    }
                    case 2 -> { // swap
                        int j = rnd.nextInt(b.length);
                        byte t = b[i];
                        b[i] = b[j];
                        b[j] = t;
                    }
                    case 3 -> b[i] ^= (byte) (1 << rnd.nextInt(8)); // flip a bit
                    case 4 -> b = Arrays.copyOf(b, i); // truncate
                    default -> b = concat(Arrays.copyOfRange(b, 0, i), FRAGMENTS[rnd.nextInt(FRAGMENTS.length)], Arrays.copyOfRange(b, i, b.length));
                }
            }
            return b;
        }

        private String pointer(ObjectNode p) {
            if (rnd.nextInt(5) < 2) {
                return KEY_POINTERS.get(rnd.nextInt(KEY_POINTERS.size()));
            }
            List<String> all = new ArrayList<>();
            pointers(p, "", all);
            return all.get(rnd.nextInt(all.size()));
        }

        private FuzzCase wrongType(int index, String contentType) {
            ObjectNode p = base();
            int changes = 1 + rnd.nextInt(3);
            boolean touchedSign = false;
            for (int i = 0; i < changes; i++) {
                String at = pointer(p);
                touchedSign |= at.equals("/Sign");
                replace(p, at, wrongValue());
            }
            boolean resigned = !touchedSign && rnd.nextInt(3) > 0;
            if (resigned) {
                resign(p);
            }
            return new FuzzCase(index, resigned ? "wrong-type-resigned" : "wrong-type", serialize(p), contentType);
        }

        private JsonNode wrongValue() {
            JsonNodeFactory f = JsonNodeFactory.instance;
            return switch (rnd.nextInt(14)) {
                case 0 -> IntNode.valueOf(rnd.nextInt());
                case 1 -> LongNode.valueOf(rnd.nextLong());
                case 2 -> DoubleNode.valueOf(rnd.nextDouble() * 1e300);
                case 3 -> BigIntegerNode.valueOf(new BigInteger("99999999999999999999999999"));
                case 4 -> DecimalNode.valueOf(new BigDecimal("-1.5e400"));
                case 5 -> f.arrayNode().add(1).add("a").add(f.nullNode());
                case 6 -> f.arrayNode();
                case 7 -> f.objectNode().put("x", 1);
                case 8 -> f.objectNode();
                case 9 -> NullNode.getInstance();
                case 10 -> BooleanNode.valueOf(rnd.nextBoolean());
                case 11 -> TextNode.valueOf("");
                case 12 -> TextNode.valueOf(randomText(1 + rnd.nextInt(40)));
                default -> f.arrayNode().add(f.objectNode().put("CallID", 7));
            };
        }

        private FuzzCase nastyValue(int index, String contentType) {
            ObjectNode p = base();
            String at = pointer(p);
            replace(p, at, TextNode.valueOf(HOLE));
            Nasty nasty = nasty();
            boolean resigned = !at.equals("/Sign") && rnd.nextInt(10) < 7;
            if (resigned) {
                if (at.equals("/TaskID")) {
                    // sign what the service will read as TaskID, when it reads a string there
                    try {
                        JsonNode decoded = JSON.readTree(nasty.raw());
                        if (decoded != null && decoded.isTextual()) {
                            p.put("Sign", sign(decoded.asText()));
                        }
                    } catch (IOException | RuntimeException notAString) {
                        // the body will not parse: any Sign will do
                    }
                } else {
                    resign(p);
                }
            }
            byte[] json = serialize(p);
            byte[] hole = ("\"" + HOLE + "\"").getBytes(StandardCharsets.US_ASCII);
            int pos = indexOf(json, hole);
            byte[] body = concat(Arrays.copyOfRange(json, 0, pos), nasty.raw(), Arrays.copyOfRange(json, pos + hole.length, json.length));
            return new FuzzCase(index, "nasty:" + nasty.name() + (resigned ? "-resigned" : ""), body, contentType);
        }

        record Nasty(String name, byte[] raw) {
        }

        private Nasty nasty() {
            return switch (rnd.nextInt(22)) {
                case 0 -> new Nasty("huge-exponent", b(rnd.nextBoolean() ? "1e99999" : "-1e99999"));
                case 1 -> new Nasty("tiny-exponent", b("1e-99999"));
                case 2 -> new Nasty("huge-integer", b("99999999999999999999999999"));
                case 3 -> new Nasty("1000-digit-number", b("9".repeat(1000)));
                case 4 -> new Nasty("1001-digit-number", b("9".repeat(1001)));
                case 5 -> new Nasty("long-fraction", b("0." + "1".repeat(990)));
                case 6 -> new Nasty("100k-string", jsonString(randomText(100_000)));
                case 7 -> new Nasty("100k-escapes", b("\"" + "\\u00e9".repeat(20_000) + "\""));
                case 8 -> {
                    int depth = depth();
                    yield new Nasty("nested-arrays-" + depth, b("[".repeat(depth) + "]".repeat(depth)));
                }
                case 9 -> {
                    int depth = depth();
                    yield new Nasty("nested-objects-" + depth, b("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
                }
                case 10 -> new Nasty("invalid-utf8", concat(b("\"ab"), invalidUtf8(), b("cd\"")));
                case 11 -> new Nasty("overlong-utf8", concat(b("\"x"), overlongUtf8(), b("\"")));
                case 12 -> new Nasty("nul-escape", b(List.of("\"\\u0000\"", "\"abc\\u0000def\"", "\"\\u0000\\u0000\\u0000\"").get(rnd.nextInt(3))));
                case 13 -> new Nasty("lone-surrogate-escape", b(rnd.nextBoolean() ? "\"\\uD800\"" : "\"a\\uDFFF\\uD800b\""));
                case 14 -> new Nasty("raw-control-in-string", concat(b("\"a"), bytes(rnd.nextInt(32)), b("b\"")));
                case 15 -> new Nasty("raw-nul", bytes(0));
                case 16 -> new Nasty("non-json-number", b(List.of("NaN", "Infinity", "-Infinity", "+1", "01", ".5", "0x10").get(rnd.nextInt(7))));
                case 17 -> new Nasty("unicode", b("\"\uFEFF\u202E\uD83D\uDE00 \u0627\u0644\u0639\u0631\u0628\u064A\u0629 \u4E2D\u6587\""));
                case 18 -> new Nasty("escaped-quotes", b("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
                case 19 -> new Nasty("tiny-details", b("[" + "{\"CallID\":\"c\"},".repeat(100) + "{\"CallID\":\"c\"}]"));
                case 20 -> new Nasty("empty-key-object", b("{\"\":{\"\":[]}}"));
                default -> new Nasty("max-long", b(rnd.nextBoolean() ? "9223372036854775808" : "-9223372036854775809"));
            };
        }

        private static byte[] jsonString(String text) {
            try {
                return JSON.writeValueAsBytes(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private int depth() {
            int[] edges = {10, 150, 195, 196, 197, 198, 199, 200, 201, 5000};
            return rnd.nextBoolean() ? edges[rnd.nextInt(edges.length)] : 10 + rnd.nextInt(4991);
        }

        private byte[] invalidUtf8() {
            return switch (rnd.nextInt(6)) {
                case 0 -> bytes(0xFF, 0xFE);
                case 1 -> bytes(0xC3, 0x28);
                case 2 -> bytes(0xE2, 0x82);
                case 3 -> bytes(0xED, 0xA0, 0x80); // an encoded surrogate
                case 4 -> bytes(0xF4, 0x90, 0x80, 0x80); // above U+10FFFF
                default -> bytes(0x80);
            };
        }

        private byte[] overlongUtf8() {
            return switch (rnd.nextInt(5)) {
                case 0 -> bytes(0xC0, 0xAF);
                case 1 -> bytes(0xC0, 0x80); // overlong NUL
                case 2 -> bytes(0xE0, 0x80, 0xAF);
                case 3 -> bytes(0xF0, 0x80, 0x80, 0xAF);
                default -> bytes(0xC1, 0xBF);
            };
        }

        private byte[] duplicateKeys() {
            ObjectNode p = base();
            String taskId = p.get("TaskID").asText();
            String other = "other-" + Long.toHexString(rnd.nextLong());
            String compact;
            try {
                compact = JSON.writeValueAsString(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String head = compact.substring(0, 1);
            String middle = compact.substring(1, compact.length() - 1);
            String tail = "}";
            return b(switch (rnd.nextInt(7)) {
                // first TaskID differs, the last one is the signed one
                case 0 -> head + "\"TaskID\":\"" + other + "\"," + middle + tail;
                // the last TaskID is unsigned
                case 1 -> head + middle + ",\"TaskID\":\"" + other + "\"" + tail;
                // the last TaskID and Sign are consistent with each other
                case 2 -> head + middle + ",\"TaskID\":\"" + other + "\",\"Sign\":\"" + sign(other) + "\"" + tail;
                // a second Sign, wrong
                case 3 -> head + middle + ",\"Sign\":\"" + sign(other) + "\"" + tail;
                // a second, empty Details
                case 4 -> head + middle + ",\"Details\":[]" + tail;
                // duplicate keys inside a call
                case 5 -> compact.replaceFirst("\\{\"id\":", "{\"CallID\":\"dup-" + taskId + "\",\"id\":");
                // every top-level field twice
                default -> head + middle + "," + middle + tail;
            });
        }

        private byte[] bigDetails() {
            ObjectNode p = AirudderPayloads.seed();
            p.put("TaskID", "big-" + Long.toHexString(rnd.nextLong()));
            ArrayNode details = p.putArray("Details");
            for (int i = 0; i < 20_000; i++) {
                details.addObject().put("CallID", "c" + i);
            }
            if (rnd.nextInt(4) > 0) {
                resign(p);
            }
            try {
                return JSON.writeValueAsBytes(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Well-formed, correctly signed, unusual: these should be stored. */
        private byte[] signedVariant() {
            ObjectNode p = base();
            ObjectNode call = (ObjectNode) p.get("Details").get(0);
            switch (rnd.nextInt(8)) {
                case 0 -> p.put("TaskID", randomText(1 + rnd.nextInt(64)));
                case 1 -> p.put("TaskID", "t" + "x".repeat(300 + rnd.nextInt(2000)));
                case 2 -> p.put("TaskName", randomText(rnd.nextInt(500)));
                case 3 -> call.put("CallID", randomText(1 + rnd.nextInt(40)));
                case 4 -> call.put("CalleeNumber", "+" + "9".repeat(1 + rnd.nextInt(400)));
                case 5 -> {
                    ArrayNode details = p.putArray("Details");
                    int n = rnd.nextInt(6);
                    for (int i = 0; i < n; i++) {
                        details.addObject().put("CallID", "v-" + rnd.nextInt()).put("CaseID", rnd.nextInt()).putNull("CalleeNumber");
                    }
                }
                case 6 -> p.put("extra_" + rnd.nextInt(1000), randomText(rnd.nextInt(100)));
                default -> {
                    p.remove("workflow_id");
                    call.remove("AsrResult");
                    call.put("CallID", 12345 + rnd.nextInt(1000)); // a number: read as its text
                }
            }
            resign(p);
            return serialize(p);
        }

        private String randomText(int length) {
            StringBuilder s = new StringBuilder(length);
            while (s.length() < length) {
                int kind = rnd.nextInt(10);
                int cp;
                if (kind < 6) {
                    cp = 32 + rnd.nextInt(95);
                } else if (kind < 8) {
                    cp = 0xA0 + rnd.nextInt(0x2000);
                } else if (kind < 9) {
                    cp = 0x1F300 + rnd.nextInt(0x300);
                } else {
                    cp = rnd.nextInt(32); // control characters: escaped by the serializer
                }
                s.appendCodePoint(cp);
            }
            return s.toString();
        }

        private static void pointers(JsonNode node, String prefix, List<String> out) {
            if (node.isObject()) {
                node.fieldNames().forEachRemaining(name -> {
                    String p = prefix + "/" + name.replace("~", "~0").replace("/", "~1");
                    out.add(p);
                    pointers(node.get(name), p, out);
                });
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    String p = prefix + "/" + i;
                    out.add(p);
                    pointers(node.get(i), p, out);
                }
            }
        }

        private static void replace(ObjectNode root, String pointer, JsonNode value) {
            JsonPointer p = JsonPointer.compile(pointer);
            JsonNode parent = root.at(p.head());
            if (parent instanceof ObjectNode o) {
                o.set(p.last().getMatchingProperty(), value);
            } else if (parent instanceof ArrayNode a && p.last().getMatchingIndex() >= 0 && p.last().getMatchingIndex() < a.size()) {
                a.set(p.last().getMatchingIndex(), value);
            } else {
                root.set("Injected", value); // the path no longer exists after an earlier change
            }
        }
    }

    // --- raw HTTP, for what an HTTP client library would not send ---------------------------------------------

    record RawReply(int status, String body, String note, boolean timedOut) {
        String label() {
            return timedOut ? "timeout" : status < 0 ? "closed" : String.valueOf(status);
        }

        @Override
        public String toString() {
            return label() + (note == null ? "" : " (" + note + ")") + (body == null ? "" : " " + excerpt(body));
        }
    }

    static final class RawHttp {

        static RawReply exchange(int port, byte[] request, Duration timeout) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                String writeError = null;
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int i = 0; i < request.length; i += 16 * 1024) {
                        out.write(request, i, Math.min(16 * 1024, request.length - i));
                    }
                    out.flush();
                } catch (IOException e) {
                    writeError = "write: " + e.getMessage(); // the server may answer and close before the request ends
                }
                RawReply reply = read(socket, timeout);
                return writeError == null || reply.status() >= 0 ? reply : new RawReply(-1, null, writeError, false);
            }
        }

        /** Reads one response (until the connection closes or Content-Length bytes arrive); status -1 if closed first. */
        static RawReply read(Socket socket, Duration timeout) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.setSoTimeout((int) timeout.toMillis());
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                    RawReply complete = parse(received.toByteArray());
                    if (complete != null) {
                        return complete;
                    }
                }
            } catch (SocketTimeoutException e) {
                RawReply partial = parse(received.toByteArray());
                return partial != null ? partial : new RawReply(-1, null, "read timed out", true);
            } catch (IOException e) {
                RawReply partial = parse(received.toByteArray());
                return partial != null ? partial : new RawReply(-1, null, "read: " + e.getMessage(), false);
            }
            RawReply whole = parse(received.toByteArray());
            if (whole != null) {
                return whole;
            }
            String text = received.toString(StandardCharsets.ISO_8859_1);
            if (text.startsWith("HTTP/1.1 ") && text.length() >= 12) {
                int end = text.indexOf("\r\n\r\n");
                return new RawReply(Integer.parseInt(text.substring(9, 12)), end < 0 ? "" : text.substring(end + 4), "closed after", false);
            }
            return new RawReply(-1, null, received.size() == 0 ? "closed without an answer" : "garbled: " + excerpt(text), false);
        }

        private static RawReply parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                return null;
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            for (String line : text.substring(0, end).split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            String rest = new String(bytes, end + 4, bytes.length - end - 4, StandardCharsets.UTF_8);
            if (chunked) {
                StringBuilder body = new StringBuilder();
                int at = 0;
                while (true) {
                    int lineEnd = rest.indexOf("\r\n", at);
                    if (lineEnd < 0) {
                        return null;
                    }
                    int size = Integer.parseInt(rest.substring(at, lineEnd).split(";")[0].trim(), 16);
                    if (size == 0) {
                        return new RawReply(status, body.toString(), null, false);
                    }
                    if (rest.length() < lineEnd + 2 + size) {
                        return null;
                    }
                    body.append(rest, lineEnd + 2, lineEnd + 2 + size);
                    at = lineEnd + 2 + size + 2;
                }
            }
            if (length >= 0 && bytes.length - end - 4 >= length) {
                return new RawReply(status, rest, null, false);
            }
            return null; // no length: read until the connection closes
        }
    }

    // --- small helpers ----------------------------------------------------------------------------------------

    private static String repeatHeaders(int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append("X-Many-").append(i).append(": ").append("v".repeat(56)).append("\r\n");
        }
        return s.toString();
    }

    private static boolean isErrorBody(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json != null && json.path("error").isTextual() && json.path("message").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String excerpt(String text) {
        if (text == null) {
            return "null";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…(" + text.length() + " chars)" : oneLine;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("marker not found");
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
