package io.hookgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop ingest load generator for Hookgate.
 *
 * <p>Creates a tenant through the management API, then runs {@code --concurrency} workers that
 * each send one signed AIRUDDER call-completion body, wait for the full answer, and send the next.
 * Ack latency (send start to full response received) of 200 answers is recorded in an HdrHistogram
 * for the measured period (after {@code --warmup}). The last two stdout lines are a JSON summary
 * and a human-readable summary.
 */
public final class IngestBench {

    static final String SEED_RELATIVE = "../shared/airudder/example-call-completion.json";
    static final long HIGHEST_US = 120_000_000L; // 120 s
    static final int MAX_ERROR_SAMPLES = 5;

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(64);
            return;
        }
        if (o.help) {
            System.out.println(Options.USAGE);
            return;
        }
        // HttpURLConnection keep-alive cache: one idle connection per worker (default is 5).
        System.setProperty("http.maxConnections", Integer.toString(Math.max(5, o.concurrency)));
        System.setProperty("sun.net.http.retryPost", "false");
        if (o.mode.equals("e2e")) {
            System.exit(new E2eBench().run(o));
        }
        System.exit(new IngestBench().run(o));
    }

    int run(Options o) throws Exception {
        // Payload seed
        byte[] seed;
        String seedSource;
        Path seedPath = resolvePayload(o.payload);
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
            seedSource = "bundled copy of " + SEED_RELATIVE;
        }

        // Tenant
        String baseUrl = stripSlash(o.baseUrl);
        String callbackUrl = o.callbackUrl;
        String key = o.key;
        if (callbackUrl == null || key == null) {
            if (o.adminEmail == null || o.adminPassword == null) {
                System.err.println("error: --admin-email and --admin-password are required (or --callback-url and --key)");
                return 64;
            }
            String name = o.tenantName != null ? o.tenantName : "bench-" + System.currentTimeMillis();
            JsonNode t;
            try {
                t = createTenant(baseUrl, o.adminEmail, o.adminPassword, name);
            } catch (IOException e) {
                System.err.println("error: tenant creation failed: " + e.getMessage());
                return 2;
            }
            callbackUrl = text(t, "callbackUrl");
            key = text(t, "key");
            if (callbackUrl == null || key == null) {
                System.err.println("error: tenant answer lacks callbackUrl or key: " + t);
                return 2;
            }
            System.err.printf("tenant %s (%s) created%n", text(t, "id"), name);
        }
        URI cb = URI.create(callbackUrl);
        String path = cb.getRawPath() + (cb.getRawQuery() != null ? "?" + cb.getRawQuery() : "");
        URI ingest = URI.create(baseUrl + path);

        PayloadFactory factory = new PayloadFactory(seed, key);
        Transport transport = Transport.create(o.client, ingest, o.concurrency, Duration.ofSeconds(o.timeoutS));

        System.err.printf("ingest url %s (callbackUrl %s)%n", ingest, callbackUrl);
        System.err.printf("payload seed %s; client %s; concurrency %d; warmup %d s; duration %d s; seed %d%n",
                seedSource, transport.name(), o.concurrency, o.warmupS, o.durationS, o.seed);

        // Run
        long startNs = System.nanoTime();
        long measureStartNs = startNs + o.warmupS * 1_000_000_000L;
        long measureEndNs = measureStartNs + o.durationS * 1_000_000_000L;
        Shared sh = new Shared(measureStartNs, measureEndNs);
        long cpu0 = processCpuNanos();

        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < o.concurrency; i++) {
            Worker w = new Worker(i, sh, transport, factory.generator(o.seed * 1_000_003L + i));
            workers.add(w);
        }
        workers.forEach(Thread::start);

        long nextReport = startNs + 5_000_000_000L;
        long lastReport = startNs;
        while (true) {
            long now = System.nanoTime();
            if (now >= measureEndNs) {
                break;
            }
            long sleepUntil = Math.min(nextReport, measureEndNs);
            if (sleepUntil > now) {
                Thread.sleep(Math.max(1, (sleepUntil - now) / 1_000_000), (int) ((sleepUntil - now) % 1_000_000));
                continue;
            }
            progress(sh, startNs, lastReport, now, now < measureStartNs ? "warmup" : "measure");
            lastReport = now;
            nextReport += 5_000_000_000L;
        }
        sh.stop = true;
        long stopNs = System.nanoTime();
        progress(sh, startNs, lastReport, stopNs, "measure");
        for (Worker w : workers) {
            w.join(o.timeoutS * 1000L + 5000L);
            if (w.isAlive()) {
                System.err.println("warning: worker " + w.getName() + " still busy; interrupting");
                w.interrupt();
            }
        }
        transport.close();
        long cpu1 = processCpuNanos();

        // Results
        Histogram total = new Histogram(HIGHEST_US, 3);
        long ok = 0, errors = 0, warmupOk = 0, warmupErrors = 0, details = 0;
        for (Worker w : workers) {
            total.add(w.hist);
            ok += w.ok;
            errors += w.errors;
            warmupOk += w.warmupOk;
            warmupErrors += w.warmupErrors;
            details += w.details;
        }
        double durationS = o.durationS;
        double rps = ok / durationS;
        double p50 = ms(total, 50.0), p90 = ms(total, 90.0), p99 = ms(total, 99.0), p999 = ms(total, 99.9);
        double max = ok == 0 ? 0 : total.getMaxValue() / 1000.0;
        double mean = ok == 0 ? 0 : total.getMean() / 1000.0;

        if (errors + warmupErrors > 0) {
            System.err.printf("errors: %d in measured period, %d during warmup; first %d:%n",
                    errors, warmupErrors, sh.errorSamples.size());
            synchronized (sh.errorSamples) {
                for (String s : sh.errorSamples) {
                    System.err.println("  " + s);
                }
            }
        }
        double cpuS = (cpu1 - cpu0) / 1e9;
        double wallS = (stopNs - startNs) / 1e9;
        long all = ok + errors + warmupOk + warmupErrors;
        System.err.printf(Locale.ROOT, "generator: %d requests measured (%d warmup), %.2f details/request, client CPU %.1f s over %.1f s wall (%.0f%% of one core, %.0f us/request)%n",
                ok + errors, warmupOk + warmupErrors, (ok + errors) == 0 ? 0.0 : (double) details / (ok + errors),
                cpuS, wallS, cpuS < 0 ? 0 : 100.0 * cpuS / wallS, all == 0 ? 0.0 : cpuS * 1e6 / all);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", "ingest");
        json.put("rps", round(rps, 1));
        json.put("p50Ms", round(p50, 3));
        json.put("p99Ms", round(p99, 3));
        json.put("p999Ms", round(p999, 3));
        json.put("errors", errors);
        json.put("concurrency", o.concurrency);
        json.put("durationS", o.durationS);
        json.put("p90Ms", round(p90, 3));
        json.put("maxMs", round(max, 3));
        json.put("meanMs", round(mean, 3));
        json.put("requests", ok);
        json.put("warmupS", o.warmupS);
        json.put("warmupErrors", warmupErrors);
        json.put("detailsPerRequest", round((ok + errors) == 0 ? 0.0 : (double) details / (ok + errors), 3));
        json.put("client", transport.name());
        System.out.println(new ObjectMapper().writeValueAsString(json));
        System.out.println(String.format(Locale.ROOT,
                "ingest: %.1f req/s, ack p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, errors %d, concurrency %d, duration %d s",
                rps, p50, p99, p999, errors, o.concurrency, o.durationS));
        System.out.flush();
        return ok == 0 ? 3 : 0;
    }

    private static void progress(Shared sh, long startNs, long fromNs, long nowNs, String phase) {
        Histogram h = sh.progress.getIntervalHistogram();
        double secs = Math.max(1e-9, (nowNs - fromNs) / 1e9);
        long errs = sh.errorCount.get();
        System.err.printf(Locale.ROOT, "[%6.1fs %-7s] %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  errors %d%n",
                (nowNs - startNs) / 1e9, phase, h.getTotalCount() / secs,
                ms(h, 50.0), ms(h, 99.0), h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1000.0, errs);
    }

    static double ms(Histogram h, double pct) {
        return h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(pct) / 1000.0;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    static final class Shared {
        final long measureStartNs;
        final long measureEndNs;
        final Recorder progress = new Recorder(HIGHEST_US, 3);
        final AtomicLong errorCount = new AtomicLong();
        final List<String> errorSamples = new ArrayList<>();
        volatile boolean stop;

        Shared(long measureStartNs, long measureEndNs) {
            this.measureStartNs = measureStartNs;
            this.measureEndNs = measureEndNs;
        }

        void sampleError(String s) {
            synchronized (errorSamples) {
                if (errorSamples.size() < MAX_ERROR_SAMPLES) {
                    errorSamples.add(s);
                }
            }
        }
    }

    static final class Worker extends Thread {
        final Shared sh;
        final Transport transport;
        final PayloadFactory.Generator gen;
        final Histogram hist = new Histogram(HIGHEST_US, 3);
        long ok, errors, warmupOk, warmupErrors, details;

        Worker(int index, Shared sh, Transport transport, PayloadFactory.Generator gen) {
            super("worker-" + index);
            setDaemon(true);
            this.sh = sh;
            this.transport = transport;
            this.gen = gen;
        }

        @Override
        public void run() {
            while (!sh.stop) {
                byte[] body = gen.next();
                long t0 = System.nanoTime();
                Transport.Result r;
                try {
                    r = transport.send(body);
                } catch (InterruptedException e) {
                    return;
                }
                long t1 = System.nanoTime();
                boolean measured = t0 >= sh.measureStartNs && t0 < sh.measureEndNs;
                long us = Math.min(HIGHEST_US, Math.max(1, (t1 - t0) / 1000));
                if (r.status() == 200) {
                    sh.progress.recordValue(us);
                    if (measured) {
                        hist.recordValue(us);
                        ok++;
                        details += gen.lastDetailCount;
                    } else {
                        warmupOk++;
                    }
                } else {
                    sh.errorCount.incrementAndGet();
                    if (measured) {
                        errors++;
                        details += gen.lastDetailCount;
                    } else {
                        warmupErrors++;
                    }
                    sh.sampleError(r.describe());
                    if (r.ioFailure()) {
                        try {
                            Thread.sleep(50); // do not spin on refused connections
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }
    }

    // ---- management API ----

    static JsonNode createTenant(String baseUrl, String email, String password, String name) throws IOException {
        ObjectMapper om = new ObjectMapper();
        byte[] body = om.writeValueAsBytes(Map.of("name", name));
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return om.readTree(postJson(baseUrl + "/api/v1/tenants", email, password, body));
            } catch (java.net.ConnectException e) {
                last = new IOException("cannot connect to " + baseUrl + ": " + e.getMessage(), e);
                if (attempt < 3) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw last;
                    }
                }
            }
        }
        throw last;
    }

    /**
     * POSTs JSON, as the admin when {@code email} is given (the management API; the admin port's tasks need none); the
     * answer's body, or an IOException naming the status.
     */
    static byte[] postJson(String url, String email, String password, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("Accept", "application/json");
        if (email != null) {
            c.setRequestProperty("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        byte[] resp = in == null ? new byte[0] : in.readAllBytes();
        if (status != 201 && status != 200) {
            throw new IOException("POST " + url + " -> HTTP " + status + ": " + Transport.snippet(resp));
        }
        return resp;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // ---- payload location ----

    /**
     * --payload, else $HOOKGATE_BENCH_PAYLOAD, else {@value #SEED_RELATIVE} relative to the repo root
     * ($HOOKGATE_REPO_ROOT, the root derived from this jar's location bench/target/x.jar, or the
     * working directory and its parents). Null means: use the bundled copy.
     */
    static Path resolvePayload(String option) {
        String explicit = option != null ? option : System.getenv("HOOKGATE_BENCH_PAYLOAD");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("payload file not found: " + p);
            }
            return p;
        }
        List<Path> roots = new ArrayList<>();
        String envRoot = System.getenv("HOOKGATE_REPO_ROOT");
        if (envRoot != null && !envRoot.isBlank()) {
            roots.add(Paths.get(envRoot));
        }
        try {
            Path jar = Paths.get(IngestBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path benchDir = jar.toAbsolutePath().getParent() == null ? null : jar.toAbsolutePath().getParent().getParent();
            if (benchDir != null && benchDir.getParent() != null) {
                roots.add(benchDir.getParent());
            }
        } catch (Exception ignored) {
            // no code source: fine
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            roots.add(p);
        }
        for (Path r : roots) {
            Path candidate = r.resolve(SEED_RELATIVE).normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    // ---- options ----

    static final class Options {
        static final String USAGE = String.join("\n",
                "usage: java -jar hookgate-bench.jar [options]",
                "  --base-url URL          service base URL (default http://localhost:8080, env HOOKGATE_BENCH_BASE_URL)",
                "  --admin-email EMAIL     platform admin (env HOOKGATE_ADMIN_EMAIL)",
                "  --admin-password PW     platform admin password (env HOOKGATE_ADMIN_PASSWORD)",
                "  --concurrency N         closed-loop workers (default 16)",
                "  --duration SECONDS      measured period (default 30)",
                "  --warmup SECONDS        unmeasured warmup before it (default 5)",
                "  --payload PATH          seed payload (env HOOKGATE_BENCH_PAYLOAD; default " + SEED_RELATIVE,
                "                          relative to the repo root, else a bundled copy)",
                "  --seed N                random seed for Details counts and varied fields (default 42)",
                "  --client socket|urlconnection|jdk  HTTP client (default socket: a minimal keep-alive HTTP/1.1 client",
                "                          over a plain socket, the cheapest in CPU per request)",
                "  --timeout SECONDS       per-request timeout (default 30)",
                "  --tenant-name NAME      name of the tenant to create (default bench-<millis>)",
                "  --callback-url URL --key KEY  use an existing tenant instead of creating one",
                "  --mode ingest|e2e       ingest (default): closed-loop ingest only; e2e: ingest at --rate and",
                "                          measure delivery to a receiver inside this JVM",
                "e2e mode only:",
                "  --rate N                events/s, open loop, at most --concurrency requests in flight (default 200);",
                "                          0 = closed loop with --concurrency workers (maximum forwarding throughput)",
                "  --drain SECONDS         wait this long at most for outstanding deliveries (default 30)",
                "  --receiver-host HOST    receiver bind address, also the destination URL host (default 127.0.0.1)",
                "  --receiver-port PORT    receiver port (default 0: any free port)",
                "  --receiver-threads N    receiver handler threads (default 16)",
                "  --max-in-flight N       destination maxInFlight, 1..256 (default 64)",
                "  --destinations 0|1      1 (default): one destination, the receiver; 0: none, the tenant's events",
                "                          are only stored (open-loop ingest, the ingest mode's workload at a rate)",
                "  --pause-url URL --resume-url URL  POSTed before sending starts and when it ends (the service's",
                "                          admin tasks /tasks/delivery-pause and /tasks/delivery-resume): deliveries",
                "                          pile up while sending, and the drain measures forwarding alone",
                "  --help");
        static final java.util.Set<String> E2E_ONLY = java.util.Set.of("--rate", "--drain", "--receiver-host",
                "--receiver-port", "--receiver-threads", "--max-in-flight", "--pause-url", "--resume-url", "--destinations");

        static final java.util.Set<String> KNOWN = java.util.Set.of("--base-url", "--admin-email",
                "--admin-password", "--concurrency", "--duration", "--warmup", "--payload", "--seed", "--client",
                "--timeout", "--tenant-name", "--callback-url", "--key", "--mode", "--rate", "--drain",
                "--receiver-host", "--receiver-port", "--receiver-threads", "--max-in-flight", "--pause-url", "--resume-url",
                "--destinations");

        String baseUrl = envOr("HOOKGATE_BENCH_BASE_URL", "http://localhost:8080");
        String adminEmail = System.getenv("HOOKGATE_ADMIN_EMAIL");
        String adminPassword = System.getenv("HOOKGATE_ADMIN_PASSWORD");
        int concurrency = 16;
        int durationS = 30;
        int warmupS = 5;
        String payload;
        long seed = 42;
        String client = "socket";
        int timeoutS = 30;
        String tenantName;
        String callbackUrl;
        String key;
        boolean help;
        String mode = "ingest";
        int rate = 200;
        int drainS = 30;
        String receiverHost = "127.0.0.1";
        int receiverPort = 0;
        int receiverThreads = 16;
        int maxInFlight = 64;
        String pauseUrl;
        String resumeUrl;
        int destinations = 1;

        static Options parse(String[] args) {
            Options o = new Options();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    v = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                if (a.equals("--help") || a.equals("-h")) {
                    o.help = true;
                    continue;
                }
                if (!KNOWN.contains(a)) {
                    throw new IllegalArgumentException("unknown option " + a);
                }
                if (v == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + a);
                    }
                    v = args[++i];
                }
                seen.add(a);
                switch (a) {
                    case "--base-url": o.baseUrl = v; break;
                    case "--admin-email": o.adminEmail = v; break;
                    case "--admin-password": o.adminPassword = v; break;
                    case "--concurrency": o.concurrency = positive(a, v); break;
                    case "--duration": o.durationS = positive(a, v); break;
                    case "--warmup": o.warmupS = nonNegative(a, v); break;
                    case "--payload": o.payload = v; break;
                    case "--seed": o.seed = Long.parseLong(v); break;
                    case "--client":
                        if (!v.equals("socket") && !v.equals("urlconnection") && !v.equals("jdk")) {
                            throw new IllegalArgumentException("--client must be socket, urlconnection or jdk, got " + v);
                        }
                        o.client = v;
                        break;
                    case "--timeout": o.timeoutS = positive(a, v); break;
                    case "--tenant-name": o.tenantName = v; break;
                    case "--callback-url": o.callbackUrl = v; break;
                    case "--key": o.key = v; break;
                    case "--mode":
                        if (!v.equals("ingest") && !v.equals("e2e")) {
                            throw new IllegalArgumentException("--mode must be ingest or e2e, got " + v);
                        }
                        o.mode = v;
                        break;
                    case "--rate": o.rate = nonNegative(a, v); break;
                    case "--drain": o.drainS = nonNegative(a, v); break;
                    case "--receiver-host": o.receiverHost = v; break;
                    case "--pause-url": o.pauseUrl = v; break;
                    case "--resume-url": o.resumeUrl = v; break;
                    case "--receiver-port": o.receiverPort = nonNegative(a, v); break;
                    case "--receiver-threads": o.receiverThreads = positive(a, v); break;
                    case "--destinations":
                        o.destinations = nonNegative(a, v);
                        if (o.destinations > 1) {
                            throw new IllegalArgumentException("--destinations must be 0 or 1");
                        }
                        break;
                    case "--max-in-flight":
                        o.maxInFlight = positive(a, v);
                        if (o.maxInFlight > 256) {
                            throw new IllegalArgumentException("--max-in-flight must be 1..256");
                        }
                        break;
                    default: throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!o.mode.equals("e2e")) {
                for (String e : E2E_ONLY) {
                    if (seen.contains(e)) {
                        throw new IllegalArgumentException(e + " needs --mode e2e");
                    }
                }
            }
            if (o.destinations == 0 && (o.pauseUrl != null || o.rate == 0)) {
                throw new IllegalArgumentException("--destinations 0 measures open-loop ingest: it needs --rate > 0 and no --pause-url");
            }
            if ((o.pauseUrl == null) != (o.resumeUrl == null)) {
                throw new IllegalArgumentException("--pause-url and --resume-url go together");
            }
            if (o.mode.equals("e2e") && (o.callbackUrl != null || o.key != null)) {
                throw new IllegalArgumentException("--mode e2e creates its own tenant; --callback-url/--key are not supported");
            }
            return o;
        }

        private static int positive(String a, String v) {
            int n = nonNegative(a, v);
            if (n == 0) {
                throw new IllegalArgumentException(a + " must be > 0");
            }
            return n;
        }

        private static int nonNegative(String a, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n < 0) {
                    throw new IllegalArgumentException(a + " must be >= 0");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " needs an integer, got " + v);
            }
        }

        private static String envOr(String name, String dflt) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? dflt : v;
        }
    }
}
