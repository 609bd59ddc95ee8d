package io.hookgate.event;

import java.util.Optional;

/**
 * What support searched a call by, as the event search takes it: a CallID (also one of its redials'), a CaseID, a
 * callee number (by its end, or in national form; {@link CalleeNumbers}). A call meets the criteria when it meets every
 * one given, so that among an event's many calls the ones searched for can be pointed out.
 */
public record CallCriteria(Optional<String> callId, Optional<String> caseId, Optional<String> callee) {

    public static final CallCriteria NONE = new CallCriteria(Optional.empty(), Optional.empty(), Optional.empty());

    public boolean any() {
        return callId.isPresent() || caseId.isPresent() || callee.isPresent();
    }

    public boolean matches(CallRef call) {
        return any()
            && callId.map(id -> id.equals(call.callId()) || call.redialCallIds().contains(id)).orElse(true)
            && caseId.map(id -> id.equals(call.caseId())).orElse(true)
            && callee.map(typed -> CalleeNumbers.search(typed).map(s -> s.matches(call.calleeNumber())).orElse(false)).orElse(true);
    }
}
