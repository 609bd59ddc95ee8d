package io.hookgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end mode: ingest at a fixed open-loop rate (or closed loop with {@code --rate 0}) and
 * measure how Hookgate forwards every stored event to a destination that points at a receiver
 * running inside this JVM.
 *
 * <p>Every event is registered by its TaskID before it is sent; the ack time of its 200 and the
 * arrival time of its delivery (parsed from the raw body with a byte search for
 * {@code "TaskID":"}) are taken with {@link System#nanoTime()} in this JVM, so their difference
 * (ack-to-receipt latency) needs no clock synchronisation.
 */
final class E2eBench {

    static final byte[] TASK_ID_NEEDLE = "\"TaskID\":\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OK_BODY = "{}".getBytes(StandardCharsets.US_ASCII);
    /** Acks slower than this are listed by the second they were sent in. */
    static final long SLOW_ACK_NS = 50_000_000L;

    /** One ingested event. Fields written by a sender and the receiver; guarded by {@code this}. */
    static final class Event {
        final long sendNs;       // intended send time (open loop) or actual send time (closed loop)
        final int bodyHash;
        final int bodyLength;
        final long startedNs;    // when it was actually sent: later than sendNs while no sender was free
        long ackNs;              // 0: not (yet) acknowledged with 200
        long firstReceiptNs;     // 0: not received
        int receipts;

        Event(long sendNs, long startedNs, byte[] body) {
            this.sendNs = sendNs;
            this.startedNs = startedNs;
            this.bodyHash = Arrays.hashCode(body);
            this.bodyLength = body.length;
        }
    }

    final Map<String, Event> events = new ConcurrentHashMap<>();
    final AtomicLong receiptsTotal = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong unknownReceipts = new AtomicLong();
    final AtomicLong unparsedReceipts = new AtomicLong();
    final AtomicLong badSignatures = new AtomicLong();
    final AtomicLong bodyMismatches = new AtomicLong();
    final AtomicLong receiptBeforeAck = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong firstReceipts = new AtomicLong();
    final List<String> receiverSamples = new ArrayList<>();
    volatile byte[] signingKey; // decoded whsec_ secret; null: do not verify
    /** False with --destinations 0: nothing is delivered, so nothing is outstanding or missing. */
    volatile boolean expectDeliveries = true;

    int run(IngestBench.Options o) throws Exception {
        byte[] seed;
        Path seedPath = IngestBench.resolvePayload(o.payload);
        String seedSource;
        if (seedPath != null) {
            seed = Files.readAllBytes(seedPath);
            seedSource = seedPath.toString();
        } else {
            try (InputStream in = IngestBench.class.getResourceAsStream("/example-call-completion.json")) {
                if (in == null) {
                    System.err.println("error: no payload found; pass --payload PATH");
                    return 2;
                }
                seed = in.readAllBytes();
            }
            seedSource = "bundled copy of " + IngestBench.SEED_RELATIVE;
        }
        if (o.adminEmail == null || o.adminPassword == null) {
            System.err.println("error: --admin-email and --admin-password are required");
            return 64;
        }
        String baseUrl = IngestBench.stripSlash(o.baseUrl);

        // ---- receiver ----
        // Jetty 12 (as NullServer): 13 to 18 us of CPU per request where com.sun.net.httpserver took
        // 43 to 50, CPU that the service, sharing the cores, gets back. Jetty's SLF4J warning about
        // having no provider is silenced unless asked for.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        // --receiver-threads handler threads, plus the acceptor, the selector and one reserved thread
        // (Jetty refuses to start a pool that these three would leave without a free thread)
        QueuedThreadPool pool = new QueuedThreadPool(o.receiverThreads + 3, Math.min(8, o.receiverThreads + 3));
        pool.setReservedThreads(1);
        pool.setName("receiver");
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(o.receiverHost); // TCP_NODELAY is Jetty's default for accepted connections
        connector.setPort(o.receiverPort);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                receive(request, response, callback);
                return true;
            }
        });
        server.start();
        int port = connector.getLocalPort();
        String hostForUrl = o.receiverHost.contains(":") ? "[" + o.receiverHost + "]" : o.receiverHost;
        String receiverUrl = "http://" + hostForUrl + ":" + port + "/hook";
        System.err.printf("receiver listening on %s (%d threads)%n", receiverUrl, o.receiverThreads);

        try {
            return measure(o, baseUrl, seed, seedSource, receiverUrl);
        } finally {
            server.stop();
        }
    }

    private int measure(IngestBench.Options o, String baseUrl, byte[] seed, String seedSource, String receiverUrl) throws Exception {
        ObjectMapper om = new ObjectMapper();
        String name = o.tenantName != null ? o.tenantName : "bench-e2e-" + System.currentTimeMillis();
        JsonNode tenant;
        JsonNode destination = null;
        try {
            tenant = IngestBench.createTenant(baseUrl, o.adminEmail, o.adminPassword, name);
            if (expectsDeliveries(o)) {
                String tenantId = IngestBench.text(tenant, "id");
                Map<String, Object> dest = new LinkedHashMap<>();
                dest.put("name", "bench receiver");
                dest.put("url", receiverUrl);
                dest.put("maxInFlight", o.maxInFlight);
                destination = om.readTree(IngestBench.postJson(baseUrl + "/api/v1/tenants/" + tenantId + "/destinations",
                        o.adminEmail, o.adminPassword, om.writeValueAsBytes(dest)));
            }
        } catch (IOException e) {
            System.err.println("error: tenant or destination creation failed: " + e.getMessage());
            if (e.getMessage() != null && e.getMessage().contains("url")) {
                System.err.println("hint: the service needs HOOKGATE_ALLOW_PRIVATE_DESTINATIONS=true for a loopback destination");
            }
            return 2;
        }
        String callbackUrl = IngestBench.text(tenant, "callbackUrl");
        String key = IngestBench.text(tenant, "key");
        if (callbackUrl == null || key == null) {
            System.err.println("error: tenant answer lacks callbackUrl or key: " + tenant);
            return 2;
        }
        if (destination == null) {
            System.err.printf("tenant %s (%s) created without a destination: its events are only stored%n", IngestBench.text(tenant, "id"), name);
        } else {
            String secret = IngestBench.text(destination, "signingSecret");
            if (secret != null) {
                signingKey = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
            }
            System.err.printf("tenant %s (%s) created; destination %s -> %s (maxInFlight %s)%s%n",
                    IngestBench.text(tenant, "id"), name, IngestBench.text(destination, "id"), IngestBench.text(destination, "url"),
                    IngestBench.text(destination, "maxInFlight"), secret == null ? "; no signing secret shown, signatures not checked" : "");
        }
        expectDeliveries = destination != null;

        URI cb = URI.create(callbackUrl);
        String path = cb.getRawPath() + (cb.getRawQuery() != null ? "?" + cb.getRawQuery() : "");
        URI ingest = URI.create(baseUrl + path);
        PayloadFactory factory = new PayloadFactory(seed, key);
        Transport transport = Transport.create(o.client, ingest, o.concurrency, Duration.ofSeconds(o.timeoutS));
        boolean closedLoop = o.rate == 0;
        System.err.printf("ingest url %s; payload seed %s; client %s; %s; concurrency %d; warmup %d s; duration %d s; drain <= %d s; seed %d%n",
                ingest, seedSource, transport.name(), closedLoop ? "closed loop" : "open loop at " + o.rate + " events/s",
                o.concurrency, o.warmupS, o.durationS, o.drainS, o.seed);

        long startNs = System.nanoTime() + 20_000_000L; // give the threads time to start
        long measureStartNs = startNs + o.warmupS * 1_000_000_000L;
        long measureEndNs = measureStartNs + o.durationS * 1_000_000_000L;
        AtomicLong slot = new AtomicLong();
        double periodNs = closedLoop ? 0 : 1e9 / o.rate;
        long cpu0 = IngestBench.processCpuNanos();
        Shared sh = new Shared(startNs, measureStartNs, measureEndNs, slot, periodNs, closedLoop);

        if (o.pauseUrl != null) {
            System.err.println("delivery paused: " + postTask(o.pauseUrl));
        }
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < o.concurrency; i++) {
            senders.add(new Sender(i, sh, transport, factory.generator(o.seed * 1_000_003L + i)));
        }
        senders.forEach(Thread::start);

        // progress every 5 s while sending
        long lastNs = System.nanoTime();
        long lastAcked = 0, lastReceipts = 0;
        long nextReport = startNs + 5_000_000_000L;
        while (true) {
            boolean alive = false;
            for (Sender s : senders) {
                alive |= s.isAlive();
            }
            long now = System.nanoTime();
            if (!alive) {
                break;
            }
            if (now >= nextReport) {
                long a = acked.get(), r = firstReceipts.get();
                double secs = (now - lastNs) / 1e9;
                System.err.printf(Locale.ROOT, "[%6.1fs %-7s] acked %7.1f/s  delivered %7.1f/s  outstanding %d  errors %d  late sends %d%n",
                        (now - startNs) / 1e9, now < measureStartNs ? "warmup" : "measure", (a - lastAcked) / secs,
                        (r - lastReceipts) / secs, expectDeliveries ? a - r : 0, sh.errorCount.get(), sh.late.get());
                lastAcked = a;
                lastReceipts = r;
                lastNs = now;
                nextReport += 5_000_000_000L;
            }
            Thread.sleep(50);
            if (now > measureEndNs + (o.timeoutS + 5) * 1_000_000_000L) {
                System.err.println("warning: senders still busy after the timeout; interrupting");
                senders.forEach(Thread::interrupt);
                break;
            }
        }
        long sendEndNs = System.nanoTime();
        transport.close();
        if (o.resumeUrl != null) {
            System.err.printf(Locale.ROOT, "delivery resumed with %d outstanding: %s%n", outstanding(), postTask(o.resumeUrl));
        }

        // ---- drain ----
        long drainDeadline = sendEndNs + o.drainS * 1_000_000_000L;
        long outstanding;
        long nextDrainReport = sendEndNs + 5_000_000_000L;
        while (true) {
            outstanding = outstanding();
            long now = System.nanoTime();
            if (outstanding == 0 || now >= drainDeadline) {
                break;
            }
            if (now >= nextDrainReport) {
                System.err.printf(Locale.ROOT, "[%6.1fs drain  ] outstanding %d%n", (now - startNs) / 1e9, outstanding);
                nextDrainReport += 5_000_000_000L;
            }
            Thread.sleep(20);
        }
        long drainEndNs = System.nanoTime();
        long cpu1 = IngestBench.processCpuNanos();

        // ---- results ----
        Histogram a2r = new Histogram(IngestBench.HIGHEST_US, 3);
        Histogram ackLat = new Histogram(IngestBench.HIGHEST_US, 3);
        // From the actual send: the service's answer time without the wait for a free sender (open loop, the two
        // differ once --concurrency requests are in flight and the notifications due meanwhile queue here)
        Histogram ackFromSend = new Histogram(IngestBench.HIGHEST_US, 3);
        long measuredAcked = 0, deliveredInWindow = 0, missing = 0, missingMeasured = 0, ackedTotal = 0;
        long receivedNotAcked = 0, lastReceiptNs = 0, deliveredInDrain = 0;
        // Slow acks by the wall-clock second they were sent in, to match a tail against the service's and
        // PostgreSQL's logs (GC pauses, checkpoints, autovacuum).
        long wallMinusNanoMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        TreeMap<Long, long[]> slowBySecond = new TreeMap<>();
        for (Event e : events.values()) {
            long ack, first;
            int n;
            synchronized (e) {
                ack = e.ackNs;
                first = e.firstReceiptNs;
                n = e.receipts;
            }
            if (first != 0) {
                lastReceiptNs = Math.max(lastReceiptNs, first);
                if (first >= measureStartNs && first < measureEndNs) {
                    deliveredInWindow++;
                }
                if (first >= sendEndNs) {
                    deliveredInDrain++;
                }
            }
            if (ack == 0) {
                if (n > 0) {
                    receivedNotAcked++;
                }
                continue;
            }
            ackedTotal++;
            boolean measured = ack >= measureStartNs && ack < measureEndNs;
            if (n == 0 && expectDeliveries) {
                missing++;
                if (measured) {
                    missingMeasured++;
                }
            }
            if (!measured) {
                continue;
            }
            measuredAcked++;
            ackLat.recordValue(clampUs(ack - e.sendNs));
            ackFromSend.recordValue(clampUs(ack - e.startedNs));
            if (ack - e.sendNs > SLOW_ACK_NS) {
                long[] slow = slowBySecond.computeIfAbsent((wallMinusNanoMs + e.sendNs / 1_000_000) / 1000, k -> new long[2]);
                slow[0]++;
                slow[1] = Math.max(slow[1], ack - e.sendNs);
            }
            if (n > 0) {
                a2r.recordValue(clampUs(first - ack));
            }
        }
        if (!slowBySecond.isEmpty()) {
            System.err.printf(Locale.ROOT, "acks slower than %d ms, by the second they were sent in (UTC):%n", SLOW_ACK_NS / 1_000_000);
            slowBySecond.forEach((second, slow) -> System.err.printf(Locale.ROOT, "  %s  %d slow, slowest %.1f ms%n",
                    Instant.ofEpochSecond(second), slow[0], slow[1] / 1e6));
        }
        double dur = o.durationS;
        double ingestRps = measuredAcked / dur;
        double deliveriesPerS = deliveredInWindow / dur;
        double p50 = IngestBench.ms(a2r, 50), p90 = IngestBench.ms(a2r, 90), p99 = IngestBench.ms(a2r, 99),
                p999 = IngestBench.ms(a2r, 99.9);
        double a2rMax = a2r.getTotalCount() == 0 ? 0 : a2r.getMaxValue() / 1000.0;
        long errors = 0, warmupErrors = 0, sent = 0;
        for (Sender s : senders) {
            errors += s.errors;
            warmupErrors += s.warmupErrors;
            sent += s.sent;
        }

        if (errors + warmupErrors > 0) {
            System.err.printf("ingest errors: %d in measured period, %d during warmup; first %d:%n",
                    errors, warmupErrors, sh.errorSamples.size());
            synchronized (sh.errorSamples) {
                sh.errorSamples.forEach(s -> System.err.println("  " + s));
            }
        }
        synchronized (receiverSamples) {
            if (!receiverSamples.isEmpty()) {
                System.err.println("receiver anomalies (first " + receiverSamples.size() + "):");
                receiverSamples.forEach(s -> System.err.println("  " + s));
            }
        }
        if (!closedLoop && sh.late.get() > 0) {
            System.err.printf("warning: %d of %d sends started more than 10 ms after their slot: the service (or this machine) "
                    + "did not keep up with --rate %d at --concurrency %d; ackP50Ms/ackP99Ms count from the slot; "
                    + "%d warmup slots still pending when the measured window opened were dropped%n",
                    sh.late.get(), sent, o.rate, o.concurrency, sh.skipped.get());
        }
        double cpuS = (cpu1 - cpu0) / 1e9;
        double wallS = (drainEndNs - startNs) / 1e9;
        System.err.printf(Locale.ROOT, "generator+receiver: %d requests sent, %d acked, %d receipts; CPU %.1f s over %.1f s wall (%.0f%% of one core)%n",
                sent, ackedTotal, receiptsTotal.get(), cpuS, wallS, cpuS < 0 ? 0 : 100.0 * cpuS / wallS);
        double drainRate = deliveredInDrain < 2 || lastReceiptNs <= sendEndNs ? 0.0 : deliveredInDrain / ((lastReceiptNs - sendEndNs) / 1e9);
        if (expectDeliveries) {
            System.err.printf(Locale.ROOT, "drain: %s after %.1f s; %d deliveries after sending ended%s%n",
                    outstanding == 0 ? "all delivered" : outstanding + " still outstanding", (drainEndNs - sendEndNs) / 1e9,
                    deliveredInDrain, drainRate == 0 ? "" : String.format(Locale.ROOT, ", the last %.2f s after (%.1f/s without ingest load)",
                            (lastReceiptNs - sendEndNs) / 1e9, drainRate));
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", "e2e");
        json.put("ingestRps", IngestBench.round(ingestRps, 1));
        json.put("deliveriesPerS", IngestBench.round(deliveriesPerS, 1));
        json.put("ackToReceiptP50Ms", expectDeliveries ? IngestBench.round(p50, 3) : null);
        json.put("ackToReceiptP99Ms", expectDeliveries ? IngestBench.round(p99, 3) : null);
        json.put("missing", missing);
        json.put("duplicates", duplicates.get());
        json.put("rate", o.rate);
        json.put("pausedWhileSending", o.pauseUrl != null);
        json.put("destinations", expectDeliveries ? 1 : 0);
        json.put("durationS", o.durationS);
        json.put("closedLoop", closedLoop);
        json.put("concurrency", o.concurrency);
        json.put("warmupS", o.warmupS);
        json.put("ackToReceiptP90Ms", expectDeliveries ? IngestBench.round(p90, 3) : null);
        json.put("ackToReceiptP999Ms", expectDeliveries ? IngestBench.round(p999, 3) : null);
        json.put("ackToReceiptMaxMs", IngestBench.round(a2rMax, 3));
        json.put("ackToReceiptMeanMs", IngestBench.round(a2r.getTotalCount() == 0 ? 0 : a2r.getMean() / 1000.0, 3));
        json.put("ackP50Ms", IngestBench.round(IngestBench.ms(ackLat, 50), 3));
        json.put("ackP99Ms", IngestBench.round(IngestBench.ms(ackLat, 99), 3));
        json.put("ackP999Ms", IngestBench.round(IngestBench.ms(ackLat, 99.9), 3));
        json.put("ackFromSendP50Ms", IngestBench.round(IngestBench.ms(ackFromSend, 50), 3));
        json.put("ackFromSendP99Ms", IngestBench.round(IngestBench.ms(ackFromSend, 99), 3));
        json.put("ackFromSendP999Ms", IngestBench.round(IngestBench.ms(ackFromSend, 99.9), 3));
        json.put("measuredAcked", measuredAcked);
        json.put("missingMeasured", missingMeasured);
        json.put("ackedTotal", ackedTotal);
        json.put("receipts", receiptsTotal.get());
        json.put("errors", errors);
        json.put("warmupErrors", warmupErrors);
        json.put("lateSends", sh.late.get());
        json.put("skippedWarmupSlots", sh.skipped.get());
        json.put("receiptBeforeAck", receiptBeforeAck.get());
        json.put("receivedNotAcked", receivedNotAcked);
        json.put("unknownReceipts", unknownReceipts.get() + unparsedReceipts.get());
        json.put("badSignatures", signingKey == null ? null : badSignatures.get());
        json.put("bodyMismatches", bodyMismatches.get());
        json.put("drainS", IngestBench.round((drainEndNs - sendEndNs) / 1e9, 2));
        json.put("deliveredInDrain", deliveredInDrain);
        json.put("drainDeliveriesPerS", IngestBench.round(drainRate, 1));
        json.put("maxInFlight", o.maxInFlight);
        json.put("client", transport.name());
        System.out.println(om.writeValueAsString(json));
        if (expectDeliveries) {
            System.out.println(String.format(Locale.ROOT,
                    "e2e: ingest %.1f req/s, deliveries %.1f/s, ack-to-receipt p50 %.2f ms, p99 %.2f ms, missing %d, duplicates %d, rate %d/s, duration %d s",
                    ingestRps, deliveriesPerS, p50, p99, missing, duplicates.get(), o.rate, o.durationS));
        } else {
            System.out.println(String.format(Locale.ROOT,
                    "e2e without destination: ingest %.1f req/s, ack p50 %.2f ms, p99 %.2f ms from the slot, rate %d/s, duration %d s",
                    ingestRps, IngestBench.ms(ackLat, 50), IngestBench.ms(ackLat, 99), o.rate, o.durationS));
        }
        System.out.flush();
        return measuredAcked == 0 ? 3 : 0;
    }

    private static boolean expectsDeliveries(IngestBench.Options o) {
        return o.destinations > 0;
    }

    private long outstanding() {
        if (!expectDeliveries) {
            return 0;
        }
        long n = 0;
        for (Event e : events.values()) {
            synchronized (e) {
                if (e.ackNs != 0 && e.receipts == 0) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long clampUs(long ns) {
        return Math.min(IngestBench.HIGHEST_US, Math.max(1, ns / 1000));
    }

    // ---- receiver ----

    /** Any path under /hook, any method (as the context /hook of com.sun.net.httpserver it replaces). */
    private void receive(Request request, Response response, Callback callback) throws IOException {
        if (!Request.getPathInContext(request).startsWith("/hook")) {
            Response.writeError(request, response, callback, 404);
            return;
        }
        ByteBuffer bb = Content.Source.asByteBuffer(request); // blocking: a handler thread, as before
        byte[] body = new byte[bb.remaining()];
        bb.get(body);
        long now = System.nanoTime();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, OK_BODY.length);
        response.write(true, ByteBuffer.wrap(OK_BODY), callback);
        // bookkeeping after the answer is on its way
        try {
            HttpFields h = request.getHeaders();
            receiptsTotal.incrementAndGet();
            String taskId = taskId(body);
            if (taskId == null) {
                unparsedReceipts.incrementAndGet();
                sample("no TaskID in a body of " + body.length + " bytes: " + Transport.snippet(body));
                return;
            }
            Event e = events.get(taskId);
            if (e == null) {
                unknownReceipts.incrementAndGet();
                sample("unknown TaskID " + taskId);
                return;
            }
            boolean first;
            boolean beforeAck = false;
            synchronized (e) {
                first = e.receipts++ == 0;
                if (first) {
                    e.firstReceiptNs = now;
                    beforeAck = e.ackNs == 0;
                }
            }
            if (first) {
                firstReceipts.incrementAndGet();
                if (beforeAck) {
                    receiptBeforeAck.incrementAndGet(); // counted; its latency is clamped to 0 if the ack follows
                }
            } else {
                duplicates.incrementAndGet();
                sample("duplicate delivery of TaskID " + taskId + " (webhook-id " + h.get("webhook-id") + ")");
            }
            if (e.bodyLength != body.length || e.bodyHash != Arrays.hashCode(body)) {
                bodyMismatches.incrementAndGet();
                sample("body of TaskID " + taskId + " differs from the ingested bytes (" + body.length + " vs " + e.bodyLength + " bytes)");
            }
            byte[] k = signingKey;
            if (k != null && !signatureOk(k, h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature"), body)) {
                badSignatures.incrementAndGet();
                sample("bad signature for TaskID " + taskId + ": id=" + h.get("webhook-id") + " ts=" + h.get("webhook-timestamp"));
            }
        } catch (RuntimeException e) {
            sample("receiver error: " + e); // the answer is already sent: only recorded
        }
    }

    private void sample(String s) {
        synchronized (receiverSamples) {
            if (receiverSamples.size() < IngestBench.MAX_ERROR_SAMPLES) {
                receiverSamples.add(s);
            }
        }
    }

    /** The 32-hex TaskID after the first {@code "TaskID":"}, or null. */
    static String taskId(byte[] b) {
        int n = TASK_ID_NEEDLE.length;
        outer:
        for (int i = 0, last = b.length - n - 32; i <= last; i++) {
            for (int j = 0; j < n; j++) {
                if (b[i + j] != TASK_ID_NEEDLE[j]) {
                    continue outer;
                }
            }
            int start = i + n;
            int end = start;
            while (end < b.length && b[end] != '"' && end - start <= 64) {
                end++;
            }
            return end < b.length && b[end] == '"' ? new String(b, start, end - start, StandardCharsets.US_ASCII) : null;
        }
        return null;
    }

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    /** Standard Webhooks: any {@code v1,<base64 HMAC-SHA256(id.ts.body)>} in the header matches. */
    static boolean signatureOk(byte[] key, String id, String ts, String sigs, byte[] body) {
        if (id == null || ts == null || sigs == null) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            return false;
        }
        for (String s : sigs.split(" ")) {
            if (s.startsWith("v1,")) {
                try {
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(s.substring(3)))) {
                        return true;
                    }
                } catch (IllegalArgumentException ignored) {
                    // not base64: no match
                }
            }
        }
        return false;
    }

    // ---- senders ----

    static final class Shared {
        final long startNs, measureStartNs, measureEndNs;
        final AtomicLong slot;
        final double periodNs;
        final boolean closedLoop;
        final AtomicLong late = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong errorCount = new AtomicLong();
        final List<String> errorSamples = new ArrayList<>();

        Shared(long startNs, long measureStartNs, long measureEndNs, AtomicLong slot, double periodNs, boolean closedLoop) {
            this.startNs = startNs;
            this.measureStartNs = measureStartNs;
            this.measureEndNs = measureEndNs;
            this.slot = slot;
            this.periodNs = periodNs;
            this.closedLoop = closedLoop;
        }
    }

    /**
     * Open loop: each sender takes the next slot k of the schedule (send time start + k/rate), waits
     * until then and sends, so at most --concurrency requests are in flight; a send that starts more
     * than 10 ms after its slot counts as late. Closed loop: send, wait for the answer, repeat.
     * Nothing new is sent after the measured window; an event counts as measured when its 200
     * arrived inside the window.
     */
    final class Sender extends Thread {
        final Shared sh;
        final Transport transport;
        final PayloadFactory.Generator gen;
        long sent, errors, warmupErrors;

        Sender(int index, Shared sh, Transport transport, PayloadFactory.Generator gen) {
            super("sender-" + index);
            setDaemon(true);
            this.sh = sh;
            this.transport = transport;
            this.gen = gen;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                byte[] body = gen.next();
                String taskId = gen.lastTaskId;
                long due;
                if (sh.closedLoop) {
                    waitUntil(sh.startNs);
                    due = System.nanoTime();
                } else {
                    long k = sh.slot.getAndIncrement();
                    due = sh.startNs + (long) (k * sh.periodNs);
                    if (due >= sh.measureEndNs) {
                        return;
                    }
                    if (due < sh.measureStartNs && System.nanoTime() >= sh.measureStartNs) {
                        // a warmup slot still pending when the measured window opens: dropped, so a
                        // backlog from the cold start does not turn into a burst inside the window
                        sh.skipped.incrementAndGet();
                        continue;
                    }
                    waitUntil(due);
                }
                long t0 = System.nanoTime();
                if (t0 >= sh.measureEndNs) {
                    return;
                }
                if (!sh.closedLoop && t0 - due > 10_000_000L) {
                    sh.late.incrementAndGet();
                }
                Event e = new Event(due, t0, body);
                events.put(taskId, e);
                Transport.Result r;
                try {
                    r = transport.send(body);
                } catch (InterruptedException ie) {
                    return;
                }
                long t1 = System.nanoTime();
                boolean measured = t1 >= sh.measureStartNs && t1 < sh.measureEndNs;
                sent++;
                if (r.status() == 200) {
                    synchronized (e) {
                        e.ackNs = t1;
                    }
                    acked.incrementAndGet();
                } else {
                    sh.errorCount.incrementAndGet();
                    if (t1 >= sh.measureStartNs) {
                        errors++;
                    } else {
                        warmupErrors++;
                    }
                    synchronized (sh.errorSamples) {
                        if (sh.errorSamples.size() < IngestBench.MAX_ERROR_SAMPLES) {
                            sh.errorSamples.add(r.describe());
                        }
                    }
                    if (r.ioFailure()) {
                        LockSupport.parkNanos(50_000_000L);
                    }
                }
            }
        }

        private void waitUntil(long ns) {
            long d;
            while ((d = ns - System.nanoTime()) > 0 && !isInterrupted()) {
                LockSupport.parkNanos(d);
            }
        }
    }

    /** POSTs to an admin task of the service and returns its answer's first line. */
    static String postTask(String url) throws IOException {
        return new String(IngestBench.postJson(url, null, null, new byte[0]), StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }
}
