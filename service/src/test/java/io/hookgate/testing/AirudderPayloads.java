package io.hookgate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.ingest.AirudderSignature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

/** The seed's example call-completion payload (a test resource), signed or altered as a test needs. */
public final class AirudderPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SEED_TASK_ID = "490d5ec3c1xxxxxxxx2b759b5b";
    public static final String SEED_CALL_ID = "cad907xxxxxxxx35644a";
    public static final String SEED_CASE_ID = "7777777.0";
    public static final String SEED_CALLEE = "+86xxxxxxxx721";
    public static final String SEED_REDIAL_CALL_ID = "cb035452180xxxxxxxxb2c7db";

    private AirudderPayloads() {
    }

    public static ObjectNode seed() {
        try (InputStream in = AirudderPayloads.class.getResourceAsStream("/airudder/example-call-completion.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed example signed with {@code key}, as AIRUDDER would send it. */
    public static byte[] signedSeed(String key) {
        return signed(seed(), key);
    }

    /** A seed-shaped payload with a fresh TaskID and CallID, so that it is a distinct notification. */
    public static byte[] signedUnique(String key, Consumer<ObjectNode> change) {
        ObjectNode payload = seed();
        payload.put("TaskID", UUID.randomUUID().toString().replace("-", ""));
        ((ObjectNode) ((ArrayNode) payload.get("Details")).get(0)).put("CallID", UUID.randomUUID().toString());
        change.accept(payload);
        return signed(payload, key);
    }

    public static byte[] signed(ObjectNode payload, String key) {
        payload.put("Sign", AirudderSignature.sign(payload.get("TaskID").asText(), key.getBytes(StandardCharsets.UTF_8)));
        return bytes(payload);
    }

    public static byte[] bytes(Object payload) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
