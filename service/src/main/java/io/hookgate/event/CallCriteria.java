package io.hookgate.event;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * What support searched a call by, as the event search takes it: a CallID (also one of its redials'), a CaseID, a
 * callee number (by its end, or in national form; {@link CalleeNumbers}). A call meets the criteria when it meets every
 * one given, so that among an event's many calls the ones searched for can be pointed out.
 */
public final class CallCriteria {

    public static final CallCriteria NONE = new CallCriteria(Optional.empty(), Optional.empty(), Optional.empty());

    private final Optional<String> callId;
    private final Optional<String> caseId;
    private final Optional<String> callee;
    /** The typed callee read once (its national forms come from the numbering plan), not once per call compared. */
    private final Predicate<String> calleeMatches;

    public CallCriteria(Optional<String> callId, Optional<String> caseId, Optional<String> callee) {
        this.callId = callId;
        this.caseId = caseId;
        this.callee = callee;
        // as the search: none given takes any number, one with nothing left to search by takes none
        this.calleeMatches = callee.map(typed -> CalleeNumbers.search(typed).<Predicate<String>>map(search -> search::matches)
            .orElse(number -> false)).orElse(number -> true);
    }

    public Optional<String> callId() {
        return callId;
    }

    public Optional<String> caseId() {
        return caseId;
    }

    /** The callee number as typed. */
    public Optional<String> callee() {
        return callee;
    }

    public boolean any() {
        return callId.isPresent() || caseId.isPresent() || callee.isPresent();
    }

    public boolean matches(CallRef call) {
        return any()
            && callId.map(id -> id.equals(call.callId()) || call.redialCallIds().contains(id)).orElse(true)
            && caseId.map(id -> id.equals(call.caseId())).orElse(true)
            && calleeMatches.test(call.calleeNumber());
    }
}
