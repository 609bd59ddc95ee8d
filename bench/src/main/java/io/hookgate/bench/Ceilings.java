package io.hookgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helpers for {@code run.sh --mode ceilings} (see bench/README.md).
 *
 * <pre>
 * java -cp hookgate-bench.jar io.hookgate.bench.Ceilings bodies N [SEED]
 *     COPY text (tab-separated) of N bodies built exactly like the generator's, for the pgbench
 *     table ceiling_bodies (n, body, headers, workflow_id, call_count)
 * java -cp hookgate-bench.jar io.hookgate.bench.Ceilings report --concurrency C --duration S
 *     [--pg FILE] [--pg-no-destination FILE] [--http FILE] [--ingest FILE] [--e2e FILE]
 *     [--forwarding FILE] [--half FILE] [--half-rate N] [--half-ingest FILE]
 *     [--end-to-end-max N] [--half-end-to-end-rate N] [--half-end-to-end FILE] [--heap-max-mib X] [--e2e-rate N]
 *     reads the pgbench outputs and the generators' stdout, prints the comparison and, as the last
 *     line, one JSON object
 * </pre>
 */
public final class Ceilings {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "bodies" -> bodies(args);
            case "report" -> System.exit(report(args));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: Ceilings bodies N [SEED] | Ceilings report --concurrency C --duration S [--pg F] "
                + "[--pg-no-destination F] [--http F] [--ingest F] [--e2e F] [--forwarding F] [--half F] [--half-rate N] [--half-ingest F] "
                + "[--end-to-end-max N] [--half-end-to-end-rate N] [--half-end-to-end F] [--heap-max-mib X] [--e2e-rate N]");
        System.exit(64);
    }

    // ---- bodies for the pgbench table ----

    private static void bodies(String[] args) throws IOException {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        byte[] seedJson;
        Path p = IngestBench.resolvePayload(null);
        if (p != null) {
            seedJson = Files.readAllBytes(p);
        } else {
            try (InputStream in = IngestBench.class.getResourceAsStream("/example-call-completion.json")) {
                if (in == null) {
                    throw new IOException("no seed payload found");
                }
                seedJson = in.readAllBytes();
            }
        }
        ObjectMapper om = new ObjectMapper();
        PayloadFactory.Generator gen = new PayloadFactory(seedJson, "ceiling-key").generator(seed);
        // The headers Hookgate keeps for such a request (HookServlet.HEADERS_KEPT) as the generator sends them.
        String ua = "Java/" + System.getProperty("java.version");
        long totalBytes = 0;
        int min = Integer.MAX_VALUE, max = 0;
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        for (int i = 1; i <= n; i++) {
            byte[] body = gen.next();
            JsonNode root = om.readTree(body);
            String workflowId = root.path("workflow_id").asText("");
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", ua);
            headers.put("Content-Type", "application/json");
            headers.put("Content-Length", Integer.toString(body.length));
            out.write(Integer.toString(i));
            out.write('\t');
            out.write("\\\\x"); // COPY text format: a backslash is written as \\
            out.write(PayloadFactory.hex(body));
            out.write('\t');
            out.write(copyText(om.writeValueAsString(headers)));
            out.write('\t');
            out.write(copyText(workflowId));
            out.write('\t');
            out.write(Long.toString(gen.lastDetailCount));
            out.write('\n');
            totalBytes += body.length;
            min = Math.min(min, body.length);
            max = Math.max(max, body.length);
        }
        out.flush();
        System.err.printf(Locale.ROOT, "ceiling bodies: %d, %d to %d bytes, mean %.0f bytes%n", n, min, max, (double) totalBytes / n);
    }

    private static String copyText(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    // ---- report ----

    private static final Pattern TPS = Pattern.compile("(?m)^tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LAT = Pattern.compile("(?m)^latency average = ([0-9.]+) ms");
    private static final Pattern FAILED = Pattern.compile("(?m)^number of failed transactions: (\\d+)");
    private static final Pattern PROCESSED = Pattern.compile("(?m)^number of transactions actually processed: (\\d+)");

    record Pg(Double tps, Double latencyMs, Long failed, Long processed) {
    }

    static Pg pgbench(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return new Pg(null, null, null, null);
        }
        String s = Files.readString(file);
        return new Pg(dbl(TPS, s), dbl(LAT, s), lng(FAILED, s), lng(PROCESSED, s));
    }

    private static Double dbl(Pattern p, String s) {
        Matcher m = p.matcher(s);
        Double v = null;
        while (m.find()) {
            v = Double.parseDouble(m.group(1));
        }
        return v;
    }

    private static Long lng(Pattern p, String s) {
        Matcher m = p.matcher(s);
        Long v = null;
        while (m.find()) {
            v = Long.parseLong(m.group(1));
        }
        return v;
    }

    /** The last line of a generator's stdout that parses as a JSON object, or null. */
    static JsonNode lastJson(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        ObjectMapper om = new ObjectMapper();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).trim();
            if (l.startsWith("{")) {
                try {
                    return om.readTree(l);
                } catch (IOException e) {
                    // not JSON: keep looking
                }
            }
        }
        return null;
    }

    private static Double num(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    private static Long count(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isNumber() ? null : v.asLong();
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : IngestBench.round(a / b, 3);
    }

    private static String f(Double v, String fmt) {
        return v == null ? "n/a" : String.format(Locale.ROOT, fmt, v);
    }

    private static int report(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        int concurrency = Integer.parseInt(a.getOrDefault("--concurrency", "16"));
        int durationS = Integer.parseInt(a.getOrDefault("--duration", "30"));
        int e2eRate = Integer.parseInt(a.getOrDefault("--e2e-rate", "200"));
        Pg pg = pgbench(path(a.get("--pg")));
        // the same-shape ceiling is measured right before and right after the ingest step: their mean cancels the drift
        Pg pgNoDestBefore = pgbench(path(a.get("--pg-no-destination")));
        Pg pgNoDestAfter = pgbench(path(a.get("--pg-no-destination-after")));
        JsonNode http = lastJson(path(a.get("--http")));
        JsonNode ingest = lastJson(path(a.get("--ingest")));
        JsonNode e2e = lastJson(path(a.get("--e2e")));
        JsonNode fwd = lastJson(path(a.get("--forwarding")));
        JsonNode half = lastJson(path(a.get("--half")));
        int halfRate = Integer.parseInt(a.getOrDefault("--half-rate", "0"));
        JsonNode halfIngest = lastJson(path(a.get("--half-ingest")));
        JsonNode halfE2e = lastJson(path(a.get("--half-end-to-end")));
        int endToEndMax = Integer.parseInt(a.getOrDefault("--end-to-end-max", "0"));
        int halfE2eRate = Integer.parseInt(a.getOrDefault("--half-end-to-end-rate", "0"));
        Map<String, CpuShares> cpuSteps = cpuSteps(path(a.get("--cpu-steps")));
        Double heap = a.containsKey("--heap-max-mib") && !a.get("--heap-max-mib").isBlank()
                ? Double.valueOf(a.get("--heap-max-mib")) : null;

        Double pgTps = pg.tps() == null ? null : IngestBench.round(pg.tps(), 1);
        Double pgNoDestBeforeTps = pgNoDestBefore.tps() == null ? null : IngestBench.round(pgNoDestBefore.tps(), 1);
        Double pgNoDestAfterTps = pgNoDestAfter.tps() == null ? null : IngestBench.round(pgNoDestAfter.tps(), 1);
        // one of the two when the other is missing; an if, as a ternary would unbox a null
        Double pgNoDestTps = pgNoDestBeforeTps != null ? pgNoDestBeforeTps : pgNoDestAfterTps;
        if (pgNoDestBeforeTps != null && pgNoDestAfterTps != null) {
            pgNoDestTps = IngestBench.round((pgNoDestBeforeTps + pgNoDestAfterTps) / 2, 1);
        }
        Double httpRps = num(http, "rps");
        Double ingestRps = num(ingest, "rps");
        Double ackP50 = num(ingest, "p50Ms"), ackP99 = num(ingest, "p99Ms"), ackP999 = num(ingest, "p999Ms");
        Double a2rP50 = num(e2e, "ackToReceiptP50Ms"), a2rP99 = num(e2e, "ackToReceiptP99Ms");
        // sending was paused while the generator ingested: the drain of that backlog is forwarding on its own
        Double fwdRate = num(fwd, "drainDeliveriesPerS");
        Double halfAckP99 = num(half, "ackP99Ms");
        Double halfIngestAckP99 = num(halfIngest, "ackP99Ms");
        Double halfE2eAckP99 = num(halfE2e, "ackP99Ms");
        // each maximum at half its own workload's rate: the ingest step's, and the end-to-end one (every event forwarded)
        Double halfTargetP99 = halfIngestAckP99 == null || halfE2eAckP99 == null ? null : Math.max(halfIngestAckP99, halfE2eAckP99);
        Double ingestOverPg = ratio(ingestRps, pgTps);
        Double ingestOverPgNoDest = ratio(ingestRps, pgNoDestTps);
        Double ingestOverHttp = ratio(ingestRps, httpRps);

        PrintLines p = new PrintLines();
        p.line("ceilings at concurrency %d, %d s per step (same payload mix: 1-5 Details, bodies of about 2 to 8.5 KB):", concurrency, durationS);
        p.line("  PostgreSQL ceiling (pgbench, one ingest-shaped insert per commit, 1 delivery):  %s tx/s (latency avg %s ms, failed %s)",
                f(pgTps, "%.1f"), f(pg.latencyMs(), "%.2f"), pg.failed() == null ? "n/a" : pg.failed());
        p.line("  PostgreSQL ceiling, same shape (same statement, tenant without destination, as the ingest step): %s tx/s "
                        + "(mean of %s right before the ingest step and %s right after it)",
                f(pgNoDestTps, "%.1f"), f(pgNoDestBeforeTps, "%.1f"), f(pgNoDestAfterTps, "%.1f"));
        p.line("  HTTP ceiling (Jetty answering {} to any POST):  %s req/s, p50 %s ms, p99 %s ms, errors %s",
                f(httpRps, "%.1f"), f(num(http, "p50Ms"), "%.2f"), f(num(http, "p99Ms"), "%.2f"), f(num(http, "errors"), "%.0f"));
        p.line("  Hookgate ingest:  %s req/s, ack p50 %s ms, p99 %s ms, p99.9 %s ms, errors %s",
                f(ingestRps, "%.1f"), f(ackP50, "%.2f"), f(ackP99, "%.2f"), f(ackP999, "%.2f"), f(num(ingest, "errors"), "%.0f"));
        p.line("  Hookgate end to end at %d events/s:  ingest %s req/s (ack p99 %s ms), ack-to-receipt p50 %s ms, p99 %s ms, late sends %s, missing %s",
                e2eRate, f(num(e2e, "ingestRps"), "%.1f"), f(num(e2e, "ackP99Ms"), "%.2f"), f(a2rP50, "%.2f"), f(a2rP99, "%.2f"),
                f(num(e2e, "lateSends"), "%.0f"), f(num(e2e, "missing"), "%.0f"));
        p.line("  Hookgate forwarding (a backlog of %s deliveries, piled up while sending was paused):  %s deliveries/s, missing %s",
                f(num(fwd, "deliveredInDrain"), "%.0f"), f(fwdRate, "%.1f"), f(num(fwd, "missing"), "%.0f"));
        p.line("  end-to-end maximum (every event taken and forwarded on the same cores: 1 / (1/%s + 1/%s) from the forwarding step):  %d events/s",
                f(num(fwd, "ingestRps"), "%.1f"), f(fwdRate, "%.1f"), endToEndMax);
        p.line("  ack latency at half the maximum rate, open loop with %d senders, counted from each notification's slot "
                + "(from the actual send, without the wait for a free sender):", concurrency);
        halfLine(p, "half the ingest maximum, ingest only (the ingest step's workload)", halfRate, halfIngest, false);
        halfLine(p, "half the end-to-end maximum, every event forwarded", halfE2eRate, halfE2e, true);
        halfLine(p, "for comparison, half the ingest maximum with every event forwarded", halfRate, half, true);
        p.line("  service heap high-water mark (jstat, 1 s samples): %s MiB", f(heap, "%.0f"));
        if (!cpuSteps.isEmpty()) {
            StringBuilder shares = new StringBuilder();
            cpuSteps.forEach((step, cpu) -> shares.append(shares.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f/%.0f", step, cpu.stealPct(), cpu.otherPct())));
            p.line("  CPU capacity the steps did not get, %% stolen by the hypervisor/%% used by other processes: %s", shares);
        }
        p.line("ratios: ingest / PostgreSQL ceiling of the same shape = %s (ceiling with one destination: %s); ingest / HTTP ceiling = %s",
                f(ingestOverPgNoDest, "%.3f"), f(ingestOverPg, "%.3f"), f(ingestOverHttp, "%.3f"));
        p.line("targets: ingest >= 1.0x PostgreSQL ceiling of the same shape [%s]; ack p99 < 50 ms at half each maximum rate, ingest only and end to end [%s]; "
                        + "ack-to-receipt p99 < 200 ms at 200/s [%s]; forwarding >= 2000/s [%s]; heap <= 512 MiB [%s]",
                verdict(ingestOverPgNoDest != null && ingestOverPgNoDest >= 1.0, ingestOverPgNoDest), verdict(halfTargetP99 != null && halfTargetP99 < 50.0, halfTargetP99),
                verdict(a2rP99 != null && a2rP99 < 200.0, a2rP99), verdict(fwdRate != null && fwdRate >= 2000.0, fwdRate),
                verdict(heap != null && heap <= 512.0, heap));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", "ceilings");
        json.put("concurrency", concurrency);
        json.put("pgCeilingTps", pgTps);
        json.put("httpCeilingRps", httpRps);
        json.put("ingestRps", ingestRps);
        json.put("ackP50Ms", ackP50);
        json.put("ackP99Ms", ackP99);
        json.put("ackP999Ms", ackP999);
        json.put("ingestOverPg", ingestOverPg);
        json.put("ingestOverHttp", ingestOverHttp);
        json.put("e2eRate", e2eRate);
        json.put("ackToReceiptP50Ms", a2rP50);
        json.put("ackToReceiptP99Ms", a2rP99);
        json.put("halfRate", halfRate);
        json.put("halfRateAckP99Ms", halfAckP99);
        json.put("halfMaxAckP99Ms", halfTargetP99);
        json.put("forwardingPerSecond", fwdRate);
        json.put("heapMaxMiB", heap);
        // extras, after the fixed fields
        json.put("durationS", durationS);
        json.put("pgCeilingNoDestinationTps", pgNoDestTps);
        json.put("ingestOverPgNoDestination", ingestOverPgNoDest);
        json.put("pgCeilingNoDestinationBeforeTps", pgNoDestBeforeTps);
        json.put("pgCeilingNoDestinationAfterTps", pgNoDestAfterTps);
        json.put("pgLatencyAvgMs", pg.latencyMs());
        json.put("pgFailedTransactions", pg.failed());
        json.put("httpCeilingP99Ms", num(http, "p99Ms"));
        json.put("ingestErrors", count(ingest, "errors"));
        json.put("e2eIngestRps", num(e2e, "ingestRps"));
        json.put("e2eAckP99Ms", num(e2e, "ackP99Ms"));
        json.put("e2eLateSends", count(e2e, "lateSends"));
        json.put("e2eMissing", count(e2e, "missing"));
        json.put("halfRateIngestRps", num(half, "ingestRps"));
        json.put("halfRateAckToReceiptP99Ms", num(half, "ackToReceiptP99Ms"));
        json.put("halfRateAckFromSendP99Ms", num(half, "ackFromSendP99Ms"));
        json.put("halfRateLateSends", count(half, "lateSends"));
        json.put("halfIngestAckP99Ms", halfIngestAckP99);
        json.put("halfIngestAckFromSendP99Ms", num(halfIngest, "ackFromSendP99Ms"));
        json.put("halfIngestLateSends", count(halfIngest, "lateSends"));
        json.put("endToEndMaxRate", endToEndMax);
        json.put("halfEndToEndRate", halfE2eRate);
        json.put("halfEndToEndAckP99Ms", halfE2eAckP99);
        json.put("halfEndToEndAckFromSendP99Ms", num(halfE2e, "ackFromSendP99Ms"));
        json.put("halfEndToEndAckToReceiptP99Ms", num(halfE2e, "ackToReceiptP99Ms"));
        json.put("halfEndToEndLateSends", count(halfE2e, "lateSends"));
        json.put("halfEndToEndMissing", count(halfE2e, "missing"));
        json.put("forwardingBacklog", count(fwd, "deliveredInDrain"));
        Map<String, Double> steal = new LinkedHashMap<>();
        Map<String, Double> other = new LinkedHashMap<>();
        cpuSteps.forEach((step, cpu) -> {
            steal.put(step, cpu.stealPct());
            other.put(step, cpu.otherPct());
        });
        json.put("stealPctByStep", steal);
        json.put("otherProcessesPctByStep", other);
        System.out.println(new ObjectMapper().writeValueAsString(json));
        System.out.flush();
        boolean complete = pgTps != null && httpRps != null && ingestRps != null && a2rP99 != null && fwdRate != null;
        return complete ? 0 : 3;
    }

    /** One half-rate step: its rate, ack p50/p99 from the slot and from the send, late sends, and its deliveries. */
    private static void halfLine(PrintLines p, String label, int rate, JsonNode step, boolean delivered) {
        String deliveries = delivered ? String.format(Locale.ROOT, "; ack-to-receipt p99 %s ms, missing %s",
                f(num(step, "ackToReceiptP99Ms"), "%.2f"), f(num(step, "missing"), "%.0f")) : "";
        p.line("    %s, %d events/s:  ingest %s req/s, ack p50 %s ms, p99 %s ms (from the send: p50 %s, p99 %s, p99.9 %s ms); "
                        + "sends over 10 ms late %s%s",
                label, rate, f(num(step, "ingestRps"), "%.1f"), f(num(step, "ackP50Ms"), "%.2f"), f(num(step, "ackP99Ms"), "%.2f"),
                f(num(step, "ackFromSendP50Ms"), "%.2f"), f(num(step, "ackFromSendP99Ms"), "%.2f"), f(num(step, "ackFromSendP999Ms"), "%.2f"),
                f(num(step, "lateSends"), "%.0f"), deliveries);
    }

    /** A step's share of the machine's capacity, in %, stolen by the hypervisor and used by other processes. */
    private record CpuShares(double stealPct, double otherPct) {
    }

    /** run.sh's cpu-steps.tsv: a line per step, "key, steal %, other processes %", tab-separated. */
    private static Map<String, CpuShares> cpuSteps(Path file) throws IOException {
        Map<String, CpuShares> steps = new LinkedHashMap<>();
        if (file == null || !Files.isReadable(file)) {
            return steps;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                try {
                    steps.put(f[0], new CpuShares(Double.parseDouble(f[1]), Double.parseDouble(f[2])));
                } catch (NumberFormatException e) {
                    // a line cut short by an interrupted step: its step has no figure
                }
            }
        }
        return steps;
    }

    private static String verdict(boolean met, Double v) {
        return v == null ? "n/a" : met ? "met" : "NOT met";
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    private static final class PrintLines {
        void line(String fmt, Object... args) {
            System.out.println(String.format(Locale.ROOT, fmt, args));
        }
    }
}
