package io.hookgate.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.event.CallRef;
import io.hookgate.event.EventKind;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an AIRUDDER notification: strict UTF-8 JSON object, its kind (from the path suffix or its shape), the
 * fields that kind needs, and the fields support searches by. Payloads are attacker-controlled until verified:
 * nesting, number and string sizes are bounded, and extracted search fields are cut to an indexable length.
 */
public final class NotificationParser {

    static final int MAX_NESTING = 200;
    /** Longer search values are cut: a btree index row must stay small, and no real id comes close. */
    static final int MAX_FIELD_CHARS = 256;
    /** Calls indexed per notification; the body keeps all of them. */
    static final int MAX_INDEXED_CALLS = 10_000;

    private final ObjectReader reader;

    public NotificationParser() {
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxNumberLength(1000)
                .maxStringLength(2 * 1024 * 1024)
                .build())
            // {"TaskID":"a","TaskID":"b"}: the signature would be checked on one value and a receiver could read the other
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
        this.reader = new ObjectMapper(factory)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(JsonNode.class);
    }

    public Notification parse(byte[] body, Optional<EventKind> kindFromPath) throws RejectedNotification {
        ObjectNode payload = readObject(body);
        EventKind kind = kindFromPath.orElseGet(() -> detect(payload));
        requireFields(kind, payload);
        List<CallRef> calls = calls(kind, payload);
        int callCount = payload.path("Details").isArray() ? payload.get("Details").size() : calls.size();
        return new Notification(kind, payload, text(payload.get("workflow_id")), taskId(payload),
            scalar(payload.get("TaskID")), scalar(payload.get("Sign")),
            callCount, calls.size() > MAX_INDEXED_CALLS ? calls.subList(0, MAX_INDEXED_CALLS) : calls);
    }

    private ObjectNode readObject(byte[] body) throws RejectedNotification {
        if (body.length == 0) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is empty; expected a JSON object");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = reader.readValue(text);
        } catch (JsonProcessingException e) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "expected a JSON object");
        }
        return (ObjectNode) root;
    }

    /**
     * Shapes from AIRUDDER's workflow documentation. Info check has the call-completion shape, so it is told apart
     * only by its path suffix {@code /info_check}.
     */
    static EventKind detect(ObjectNode p) {
        if (p.has("TaskID") || p.has("Sign") || p.has("Details")) {
            return EventKind.CALL_COMPLETION;
        }
        if (p.path("actions").isArray()) {
            return EventKind.WORKFLOW_STATUS;
        }
        if (p.path("rows").isArray()) {
            return EventKind.LIST_COMPLETION;
        }
        if (p.has("node_id")) {
            return EventKind.CUSTOM_API_PUSH;
        }
        if (p.has("session_end_reason") || p.has("session_start_time") || p.has("session_end_time")) {
            return EventKind.CHATBOT_SESSION_END;
        }
        if (p.has("waba_task_id") || p.has("wfdetail_uuid")) {
            return EventKind.WABA_STATUS;
        }
        return EventKind.UNKNOWN;
    }

    private static void requireFields(EventKind kind, ObjectNode p) throws RejectedNotification {
        switch (kind) {
            case CALL_COMPLETION, INFO_CHECK -> {
                requireText(p, "TaskID");
                requireText(p, "Sign");
                JsonNode details = p.get("Details");
                if (details == null || !details.isArray()) {
                    throw missing("Details", "an array of calls");
                }
                for (int i = 0; i < details.size(); i++) {
                    if (!details.get(i).isObject()) {
                        throw missing("Details[" + i + "]", "an object");
                    }
                    if (kind == EventKind.CALL_COMPLETION && scalar(details.get(i).get("CallID")) == null) {
                        throw missing("Details[" + i + "].CallID", "a string");
                    }
                }
            }
            case WORKFLOW_STATUS -> {
                requireText(p, "workflow_id");
                requireText(p, "status");
            }
            case LIST_COMPLETION, CHATBOT_SESSION_END, WABA_STATUS -> requireText(p, "workflow_id");
            case CUSTOM_API_PUSH -> {
                requireText(p, "workflow_id");
                requireText(p, "node_id");
            }
            case UNKNOWN -> {
            }
        }
    }

    private static void requireText(ObjectNode p, String field) throws RejectedNotification {
        JsonNode value = p.get(field);
        if (value == null || value.isNull()) {
            throw missing(field, "a string");
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new RejectedNotification(RejectionReason.MISSING_FIELD, "field " + field + " must be a non-empty string");
        }
    }

    private static RejectedNotification missing(String field, String expected) {
        return new RejectedNotification(RejectionReason.MISSING_FIELD, "missing required field " + field + " (" + expected + ")");
    }

    private static List<CallRef> calls(EventKind kind, ObjectNode p) {
        List<CallRef> calls = new ArrayList<>();
        JsonNode details = p.get("Details");
        if (details != null && details.isArray()) {
            for (JsonNode call : details) {
                calls.add(new CallRef(text(call.get("CallID")), text(call.get("CaseID")), text(call.get("CalleeNumber"))));
            }
            return calls;
        }
        // Other kinds carry one callee at most, at the top level or in a "callee" object.
        JsonNode callee = p.path("callee").isObject() ? p.get("callee") : p;
        String callId = firstText(p.get("call_id"), callee.get("call_id"));
        String caseId = firstText(p.get("case_id"), callee.get("case_id"));
        String number = firstText(p.get("callee_number"), callee.get("callee_number"), p.path("callee").isTextual() ? p.get("callee") : null);
        if (callId != null || caseId != null || number != null) {
            calls.add(new CallRef(callId, caseId, number));
        }
        return calls;
    }

    private static String taskId(ObjectNode p) {
        return firstText(p.get("TaskID"), p.get("task_id"), p.get("waba_task_id"));
    }

    private static String firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            String text = text(candidate);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    /**
     * A scalar's text cut to {@link #MAX_FIELD_CHARS}; null for absent, null, empty or structured values. A NUL
     * character (JSON escape backslash-u-0000) becomes U+FFFD: PostgreSQL text cannot hold it; the stored body keeps it.
     */
    static String text(JsonNode node) {
        String value = scalar(node);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            value = value.replace('\0', '\uFFFD');
        }
        return value.length() > MAX_FIELD_CHARS ? value.substring(0, MAX_FIELD_CHARS) : value;
    }

    private static String scalar(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
