package io.hookgate.event;

/** One call of a notification (an entry of {@code Details}): what support staff search by. */
public record CallRef(String callId, String caseId, String calleeNumber) {
}
