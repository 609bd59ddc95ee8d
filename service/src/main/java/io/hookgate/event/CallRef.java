package io.hookgate.event;

import java.util.List;

/**
 * One call of a notification (an entry of {@code Details}): what support staff search by. A number that did not
 * answer is dialled again within the round; each redial has its own CallID, which AIRUDDER shows for that dial.
 */
public record CallRef(String callId, String caseId, String calleeNumber, List<String> redialCallIds) {

    public CallRef {
        redialCallIds = List.copyOf(redialCallIds);
    }

    /** A call that was not redialled. */
    public CallRef(String callId, String caseId, String calleeNumber) {
        this(callId, caseId, calleeNumber, List.of());
    }
}
