package io.hookgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds unique, correctly signed AIRUDDER call-completion bodies from a seed payload.
 *
 * <p>The seed is parsed once with Jackson; the top level and the first {@code Details} entry are
 * serialized once (compact) with marker strings in place of the varying fields, and split into
 * literal segments and slots. Each request is then a single {@link StringBuilder} pass: no JSON
 * serialization on the hot path.
 *
 * <p>Per request: a fresh 32-hex {@code TaskID}, 1..5 {@code Details} (count uniform, from the
 * caller's seeded random), each with a unique {@code CallID} (32 hex), {@code id} and first redial's
 * {@code RedailCall[0].CallID}, a random {@code CaseID} and {@code CalleeNumber}, and
 * {@code Sign = md5hex(TaskID + KEY)}.
 */
final class PayloadFactory {

    static final int MIN_DETAILS = 1;
    static final int MAX_DETAILS = 5;

    private static final String M_TASK_ID = "@@HG:TASK_ID@@";
    private static final String M_SIGN = "@@HG:SIGN@@";
    private static final String M_DETAILS = "@@HG:DETAILS@@";
    private static final String M_CALL_ID = "@@HG:CALL_ID@@";
    private static final String M_CASE_ID = "@@HG:CASE_ID@@";
    private static final String M_CALLEE = "@@HG:CALLEE_NUMBER@@";
    private static final String M_ID = "@@HG:ID@@";
    private static final String M_REDIAL_CALL_ID = "@@HG:REDIAL_CALL_ID@@";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Template top;
    private final Template detail;
    private final byte[] keyBytes;
    private final int detailLen;
    private final int topLen;

    // Uniqueness: sequence numbers mixed with per-run random nonces.
    private final AtomicLong taskSeq = new AtomicLong();
    private final AtomicLong callSeq = new AtomicLong();
    private final long n1, n2, n3, n4;

    PayloadFactory(byte[] seedJson, String key) throws IOException {
        ObjectMapper om = new ObjectMapper();
        JsonNode root = om.readTree(seedJson);
        if (!(root instanceof ObjectNode)) {
            throw new IOException("seed payload is not a JSON object");
        }
        ObjectNode topNode = ((ObjectNode) root).deepCopy();
        JsonNode details = topNode.get("Details");
        if (!(details instanceof ArrayNode) || details.size() == 0 || !(details.get(0) instanceof ObjectNode)) {
            throw new IOException("seed payload has no Details[0] object");
        }
        ObjectNode d = ((ObjectNode) details.get(0)).deepCopy();
        d.put("CallID", M_CALL_ID);
        d.put("CaseID", M_CASE_ID);
        d.put("CalleeNumber", M_CALLEE);
        if (d.has("id")) {
            d.put("id", M_ID);
        }
        // a redial's CallID is searched by, so indexed: unique per call, as AIRUDDER's are
        if (d.path("RedailCall").path(0) instanceof ObjectNode redial && redial.has("CallID")) {
            redial.put("CallID", M_REDIAL_CALL_ID);
        }
        topNode.put("TaskID", M_TASK_ID);
        topNode.put("Sign", M_SIGN);
        topNode.put("Details", M_DETAILS);

        this.detail = Template.compile(om.writeValueAsString(d));
        this.top = Template.compile(om.writeValueAsString(topNode));
        this.detailLen = detail.literalLength() + 128;
        this.topLen = top.literalLength() + 128;
        this.keyBytes = key.getBytes(StandardCharsets.UTF_8);

        SecureRandom sr = new SecureRandom();
        n1 = sr.nextLong();
        n2 = sr.nextLong();
        n3 = sr.nextLong();
        n4 = sr.nextLong();
    }

    /** Per-worker state: not thread-safe, one per worker thread. */
    final class Generator {
        private final SplittableRandom rnd;
        private final MessageDigest md5;
        private final StringBuilder sb = new StringBuilder(topLen + MAX_DETAILS * detailLen);
        private final StringBuilder details = new StringBuilder(MAX_DETAILS * detailLen);
        private final String[] topVals = new String[3];
        private final String[] detVals = new String[5];
        long lastDetailCount;
        /** TaskID of the body last returned by {@link #next()} (used by the e2e mode to match receipts). */
        String lastTaskId;

        Generator(long seed) {
            this.rnd = new SplittableRandom(seed);
            try {
                this.md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] next() {
            long ts = taskSeq.getAndIncrement();
            String taskId = hex16(mix(ts + n1)) + hex16(ts ^ n2);
            int count = MIN_DETAILS + rnd.nextInt(MAX_DETAILS - MIN_DETAILS + 1);
            lastDetailCount = count;
            lastTaskId = taskId;

            details.setLength(0);
            details.append('[');
            for (int i = 0; i < count; i++) {
                long cs = callSeq.getAndIncrement();
                if (i > 0) {
                    details.append(',');
                }
                detVals[0] = '"' + hex16(mix(cs + n3)) + hex16(cs ^ n4) + '"';
                detVals[1] = '"' + Integer.toString(1_000_000 + rnd.nextInt(9_000_000)) + ".0\"";
                detVals[2] = "\"+861" + digits(10) + '"';
                detVals[3] = Long.toString(1_000_000_000L + cs);
                detVals[4] = '"' + hex16(mix(cs + n4)) + hex16(cs ^ n3) + '"';
                detail.render(details, M_CALL_ID, detVals[0], M_CASE_ID, detVals[1], M_CALLEE, detVals[2], M_ID, detVals[3],
                    M_REDIAL_CALL_ID, detVals[4]);
            }
            details.append(']');

            md5.reset();
            md5.update(taskId.getBytes(StandardCharsets.US_ASCII));
            md5.update(keyBytes);
            String sign = hex(md5.digest());

            sb.setLength(0);
            top.render(sb, M_TASK_ID, '"' + taskId + '"', M_SIGN, '"' + sign + '"', M_DETAILS, details);
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        private String digits(int n) {
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = (char) ('0' + rnd.nextInt(10));
            }
            return new String(c);
        }
    }

    Generator generator(long seed) {
        return new Generator(seed);
    }

    static String md5Hex(String s) {
        try {
            return hex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        char[] c = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            c[2 * i] = HEX[(b[i] >> 4) & 0xf];
            c[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(c);
    }

    static String hex16(long v) {
        char[] c = new char[16];
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(c);
    }

    /** SplitMix64 finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A compact JSON text split at quoted markers ({@code "@@HG:NAME@@"}); a slot is replaced by
     * the raw text given for its marker (callers include the quotes for string values).
     */
    static final class Template {
        private final String[] literals; // literals.length == slots.length + 1
        private final String[] slots;

        private Template(String[] literals, String[] slots) {
            this.literals = literals;
            this.slots = slots;
        }

        static Template compile(String json) {
            List<String> lits = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int pos = 0;
            while (true) {
                int start = json.indexOf("\"@@HG:", pos);
                if (start < 0) {
                    break;
                }
                int end = json.indexOf("@@\"", start + 6);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated marker");
                }
                lits.add(json.substring(pos, start));
                names.add(json.substring(start + 1, end + 2));
                pos = end + 3;
            }
            lits.add(json.substring(pos));
            return new Template(lits.toArray(new String[0]), names.toArray(new String[0]));
        }

        int literalLength() {
            int n = 0;
            for (String l : literals) {
                n += l.length();
            }
            return n;
        }

        /** kv: alternating marker, replacement (CharSequence). */
        void render(StringBuilder out, Object... kv) {
            for (int i = 0; i < slots.length; i++) {
                out.append(literals[i]);
                CharSequence v = null;
                for (int k = 0; k < kv.length; k += 2) {
                    if (slots[i].equals(kv[k])) {
                        v = (CharSequence) kv[k + 1];
                        break;
                    }
                }
                if (v == null) {
                    throw new IllegalStateException("no value for " + slots[i]);
                }
                out.append(v);
            }
            out.append(literals[slots.length]);
        }
    }
}
