package io.hookgate.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** AIRUDDER's published example of a call completion, made unique, for "send a test" buttons. */
public final class SamplePayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SamplePayloads() {
    }

    /** The example with a fresh TaskID and CallID (marked as a Hookgate test) and {@code sign} as its Sign. */
    public static ObjectNode callCompletion() {
        try (InputStream in = SamplePayloads.class.getResourceAsStream("/samples/call-completion.json")) {
            ObjectNode payload = (ObjectNode) JSON.readTree(in);
            String unique = UUID.randomUUID().toString().replace("-", "");
            payload.put("TaskID", "hookgate-test-" + unique);
            payload.put("TaskName", "Hookgate test call");
            ((ObjectNode) payload.withArray("Details").get(0)).put("CallID", "hookgate-test-" + unique);
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(ObjectNode payload) {
        try {
            return JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
