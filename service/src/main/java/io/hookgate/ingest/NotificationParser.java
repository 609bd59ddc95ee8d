package io.hookgate.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.google.common.base.Utf8;
import com.google.common.primitives.Bytes;
import io.hookgate.event.CallRef;
import io.hookgate.event.CalleeNumbers;
import io.hookgate.event.EventKind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an AIRUDDER notification: strict UTF-8 JSON object, its kind (from the path suffix or its shape), the
 * fields that kind needs, and the fields support searches by. Payloads are attacker-controlled until verified:
 * nesting, number and string sizes are bounded, and extracted search fields are cut to an indexable length.
 * <p>
 * One streaming pass over the bytes keeps only the fields it needs; the rest of the document is checked (syntax,
 * repeated field names, limits) and skipped, never built into a tree: every notification takes this path.
 */
public final class NotificationParser {

    static final int MAX_NESTING = 200;
    static final int MAX_NUMBER_CHARS = 1000;
    static final int MAX_STRING_CHARS = 2 * 1024 * 1024;
    /** Longer search values are cut: a btree index row must stay small, and no real id comes close. */
    static final int MAX_FIELD_CHARS = 256;
    /** Calls indexed per notification; the body keeps all of them. */
    static final int MAX_INDEXED_CALLS = 10_000;

    /** The top-level fields that tell the kind, are required by one, or are searched by. */
    private static final Set<String> TOP_LEVEL = Set.of("TaskID", "Sign", "Details", "workflow_id", "status", "actions",
        "rows", "node_id", "session_end_reason", "session_start_time", "session_end_time", "waba_task_id", "wfdetail_uuid",
        "task_id", "call_id", "case_id", "callee_number", "callee");
    private static final Set<String> DETAIL = Set.of("CallID", "CaseID", "CalleeNumber");
    /** Redials kept per call: a round dials a number a few times, not hundreds. */
    static final int MAX_REDIALS_PER_CALL = 100;
    private static final Set<String> CALLEE = Set.of("call_id", "case_id", "callee_number");
    private static final Set<String> REDIAL = Set.of("CallID");

    /** A field's JSON type (its first token) and, for a scalar, its text as written. */
    private record Value(JsonToken token, String text) {

        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isArray() {
            return token == JsonToken.START_ARRAY;
        }

        boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }
    }

    /** A Details entry: its searched fields, and the CallIDs of its redials ({@code RedailCall[].CallID}, AIRUDDER's spelling). */
    private record Detail(Map<String, Value> fields, List<String> redialCallIds) {

        Value get(String name) {
            return fields.get(name);
        }
    }

    /** What one streaming pass keeps of a notification. */
    private static final class Fields {
        final Map<String, Value> top = new HashMap<>();
        /** The Details entries when Details is an array: null for an entry that is not an object. */
        List<Detail> details;
        Map<String, Value> callee;

        Value get(String name) {
            return top.get(name);
        }

        boolean has(String name) {
            return top.containsKey(name);
        }
    }

    private final JsonFactory factory;

    public NotificationParser() {
        this.factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxStringLength(MAX_STRING_CHARS)
                .build())
            // {"TaskID":"a","TaskID":"b"}: the signature would be checked on one value and a receiver could read the other
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    }

    /** The limit in the sender's terms: Jackson's own message names its configuration methods. */
    private static String beyondLimits(StreamConstraintsException e) {
        String limit = e.getOriginalMessage();
        if (limit.contains("nesting")) {
            return "the body is refused: nesting deeper than " + MAX_NESTING + " levels";
        }
        if (limit.contains("Number")) {
            return "the body is refused: a number longer than " + MAX_NUMBER_CHARS + " characters";
        }
        if (limit.contains("String")) {
            return "the body is refused: a string longer than " + MAX_STRING_CHARS + " characters";
        }
        return "the body is refused: it exceeds a size limit of the JSON parser";
    }

    public Notification parse(byte[] body, Optional<EventKind> kindFromPath) throws RejectedNotification {
        Fields p = read(body);
        EventKind kind = kindFromPath.orElseGet(() -> detect(p));
        if (!kind.carriesSignature() && detect(p).carriesSignature()) {
            // else a call completion with a forged Sign, or none, would pass as an unsigned kind, its calls searchable
            throw new RejectedNotification(RejectionReason.KIND_MISMATCH, "the body is a call completion (it has TaskID, Sign or "
                + "Details), which AIRUDDER signs, but the URL ends with /" + kind.wireName() + ", a kind it does not sign: "
                + "post call completions to the callback URL without a suffix").withTaskId(taskId(p));
        }
        try {
            requireFields(kind, p);
        } catch (RejectedNotification e) {
            throw e.withTaskId(taskId(p));
        }
        List<CallRef> calls = calls(p);
        int callCount = p.details != null ? p.details.size() : calls.size();
        return new Notification(kind, text(p.get("workflow_id")), taskId(p), scalar(p.get("TaskID")), scalar(p.get("Sign")),
            callCount, calls.size() > MAX_INDEXED_CALLS ? calls.subList(0, MAX_INDEXED_CALLS) : calls);
    }

    /** The TaskID of a body refused before it was read (a wrong kind in the URL, a suspended tenant), for support to search by. */
    Optional<String> taskIdOf(byte[] body) {
        try {
            return Optional.ofNullable(parse(body, Optional.empty()).taskId());
        } catch (RejectedNotification e) {
            return e.taskId();
        }
    }

    private Fields read(byte[] body) throws RejectedNotification {
        if (body.length == 0) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is empty; expected a JSON object");
        }
        if (!Utf8.isWellFormed(body)) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is not valid UTF-8");
        }
        // JSON never holds a raw NUL, and the parser would take NUL bytes as a sign of UTF-16 or UTF-32
        if (Bytes.indexOf(body, (byte) 0) >= 0) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is not valid JSON: it holds a NUL byte");
        }
        try (JsonParser json = factory.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new RejectedNotification(RejectionReason.INVALID_JSON, "expected a JSON object");
            }
            Fields fields = new Fields();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken token = json.nextToken();
                if (!TOP_LEVEL.contains(name)) {
                    json.skipChildren();
                    continue;
                }
                Value value;
                if (name.equals("Details") && token == JsonToken.START_ARRAY) {
                    fields.details = details(json);
                    value = new Value(token, null);
                } else if (name.equals("callee") && token == JsonToken.START_OBJECT) {
                    fields.callee = object(json, CALLEE);
                    value = new Value(token, null);
                } else {
                    value = value(json, token);
                }
                fields.top.put(name, value);
            }
            if (json.nextToken() != null) {
                throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is not valid JSON: more content follows the object");
            }
            return fields;
        } catch (StreamConstraintsException e) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, beyondLimits(e));
        } catch (JsonProcessingException e) {
            throw new RejectedNotification(RejectionReason.INVALID_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    /** The current value; a container is skipped (and so checked) to its end. */
    private static Value value(JsonParser json, JsonToken token) throws IOException {
        if (token.isStructStart()) {
            json.skipChildren();
            return new Value(token, null);
        }
        return new Value(token, token == JsonToken.VALUE_NULL ? null : json.getText());
    }

    private static List<Detail> details(JsonParser json) throws IOException {
        List<Detail> entries = new ArrayList<>();
        JsonToken token;
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT) {
                entries.add(detail(json));
            } else {
                json.skipChildren();
                entries.add(null);
            }
        }
        return entries;
    }

    /** Reads the Details entry just started; ends on its END_OBJECT. */
    private static Detail detail(JsonParser json) throws IOException {
        Map<String, Value> fields = new HashMap<>();
        List<String> redials = List.of();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken token = json.nextToken();
            if (DETAIL.contains(name)) {
                fields.put(name, value(json, token));
            } else if (name.equals("RedailCall") && token == JsonToken.START_ARRAY) {
                redials = redialCallIds(json);
            } else {
                json.skipChildren();
            }
        }
        return new Detail(fields, redials);
    }

    /** The distinct CallIDs of the redials in the array just started, up to {@link #MAX_REDIALS_PER_CALL}; ends on its END_ARRAY. */
    private static List<String> redialCallIds(JsonParser json) throws IOException {
        List<String> callIds = new ArrayList<>();
        JsonToken token;
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT) {
                String callId = text(object(json, REDIAL).get("CallID"));
                if (callId != null && callIds.size() < MAX_REDIALS_PER_CALL && !callIds.contains(callId)) {
                    callIds.add(callId);
                }
            } else {
                json.skipChildren();
            }
        }
        return callIds;
    }

    /** Reads the object just started, keeping the named fields; ends on its END_OBJECT. */
    private static Map<String, Value> object(JsonParser json, Set<String> kept) throws IOException {
        Map<String, Value> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken token = json.nextToken();
            if (kept.contains(name)) {
                fields.put(name, value(json, token));
            } else {
                json.skipChildren(); // a scalar is skipped (and checked) by the next nextToken() without being decoded
            }
        }
        return fields;
    }

    /**
     * Shapes from AIRUDDER's workflow documentation. Info check has the call-completion shape, so it is told apart
     * only by its path suffix {@code /info_check}.
     */
    private static EventKind detect(Fields p) {
        if (p.has("TaskID") || p.has("Sign") || p.has("Details")) {
            return EventKind.CALL_COMPLETION;
        }
        if (isArray(p.get("actions"))) {
            return EventKind.WORKFLOW_STATUS;
        }
        if (isArray(p.get("rows"))) {
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

    private static void requireFields(EventKind kind, Fields p) throws RejectedNotification {
        switch (kind) {
            case CALL_COMPLETION, INFO_CHECK -> {
                requireText(p, "TaskID");
                requireText(p, "Sign");
                if (p.details == null) {
                    throw missing("Details", "an array of calls");
                }
                for (int i = 0; i < p.details.size(); i++) {
                    if (p.details.get(i) == null) {
                        throw missing("Details[" + i + "]", "an object");
                    }
                    if (kind == EventKind.CALL_COMPLETION && scalar(p.details.get(i).get("CallID")) == null) {
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

    private static void requireText(Fields p, String field) throws RejectedNotification {
        Value value = p.get(field);
        if (value == null || value.isNull()) {
            throw missing(field, "a string");
        }
        if (!value.isString() || value.text().isEmpty()) {
            throw new RejectedNotification(RejectionReason.MISSING_FIELD, "field " + field + " must be a non-empty string");
        }
    }

    private static RejectedNotification missing(String field, String expected) {
        return new RejectedNotification(RejectionReason.MISSING_FIELD, "missing required field " + field + " (" + expected + ")");
    }

    private static List<CallRef> calls(Fields p) {
        List<CallRef> calls = new ArrayList<>();
        if (p.details != null) {
            for (Detail call : p.details) {
                calls.add(call == null ? new CallRef(null, null, null)
                    : new CallRef(text(call.get("CallID")), text(call.get("CaseID")), CalleeNumbers.compact(text(call.get("CalleeNumber"))),
                        call.redialCallIds()));
            }
            return calls;
        }
        // Other kinds carry one callee at most, at the top level or in a "callee" object.
        Map<String, Value> callee = p.callee != null ? p.callee : p.top;
        String callId = firstText(p.get("call_id"), callee.get("call_id"));
        String caseId = firstText(p.get("case_id"), callee.get("case_id"));
        Value calleeField = p.get("callee");
        String number = CalleeNumbers.compact(firstText(p.get("callee_number"), callee.get("callee_number"),
            calleeField != null && calleeField.isString() ? calleeField : null));
        if (callId != null || caseId != null || number != null) {
            calls.add(new CallRef(callId, caseId, number));
        }
        return calls;
    }

    private static String taskId(Fields p) {
        return firstText(p.get("TaskID"), p.get("task_id"), p.get("waba_task_id"));
    }

    private static String firstText(Value... candidates) {
        for (Value candidate : candidates) {
            String text = text(candidate);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    private static boolean isArray(Value value) {
        return value != null && value.isArray();
    }

    /**
     * A scalar's text cut to {@link #MAX_FIELD_CHARS}; null for absent, null, empty or structured values. A NUL
     * character (JSON escape backslash-u-0000) becomes U+FFFD: PostgreSQL text cannot hold it; the stored body keeps it.
     */
    private static String text(Value node) {
        String value = scalar(node);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            value = value.replace('\0', '\uFFFD');
        }
        return value.length() > MAX_FIELD_CHARS ? value.substring(0, MAX_FIELD_CHARS) : value;
    }

    /** A string's value, or a number's or boolean's text as written; null for absent, null or structured values. */
    private static String scalar(Value node) {
        return node == null || node.text() == null ? null : node.text();
    }
}
