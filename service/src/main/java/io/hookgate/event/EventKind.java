package io.hookgate.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * The AIRUDDER notifications Hookgate accepts, by the name used in {@code /hooks/{token}/{kind}}, in storage and
 * in the API. {@link #UNKNOWN} keeps a notification of a shape not (yet) known rather than lose it.
 */
public enum EventKind {
    CALL_COMPLETION("call_completion", true),
    INFO_CHECK("info_check", true),
    LIST_COMPLETION("list_completion", false),
    WORKFLOW_STATUS("workflow_status", false),
    WABA_STATUS("waba_status", false),
    CHATBOT_SESSION_END("chatbot_session_end", false),
    CUSTOM_API_PUSH("custom_api_push", false),
    UNKNOWN("unknown", false);

    private final String wireName;
    private final boolean signed;

    EventKind(String wireName, boolean signed) {
        this.wireName = wireName;
        this.signed = signed;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether AIRUDDER signs this kind with {@code Sign = md5(TaskID + KEY)}. */
    public boolean carriesSignature() {
        return signed;
    }

    public static Optional<EventKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}
