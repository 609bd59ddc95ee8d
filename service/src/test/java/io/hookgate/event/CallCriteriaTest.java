package io.hookgate.event;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CallCriteriaTest {

    private static final CallRef CALL = new CallRef("call-1", "7777777.0", "+6281234567890", List.of("redial-1"));
    private static final CallRef NATIONAL = new CallRef("call-2", "8888888.0", "0812-1111-2222");

    @Test
    void aCallIsFoundByItsCallIdOrARedialsCallIdAsTheSearchFindsIt() {
        assertThat(criteria("call-1", null, null).matches(CALL)).isTrue();
        assertThat(criteria("redial-1", null, null).matches(CALL)).isTrue();
        assertThat(criteria("call-2", null, null).matches(CALL)).isFalse();
    }

    @Test
    void aCalleeNumberMatchesByItsEndOrInNationalFormAsTheSearchFindsIt() {
        assertThat(criteria(null, null, "0812-3456-7890").matches(CALL)).isTrue();
        assertThat(criteria(null, null, "0912-3456-7890").matches(CALL)).isFalse();
        assertThat(criteria(null, null, "+62 812 1111 2222").matches(NATIONAL)).isTrue();
        assertThat(criteria(null, null, "7890").matches(CALL)).as("short: the whole number only").isFalse();
    }

    @Test
    void everyCriterionGivenMustMatchAndNoneGivenMatchesNothing() {
        assertThat(criteria("call-1", "7777777.0", null).matches(CALL)).isTrue();
        assertThat(criteria("call-1", "8888888.0", null).matches(CALL)).isFalse();
        assertThat(CallCriteria.NONE.matches(CALL)).isFalse();
    }

    private static CallCriteria criteria(String callId, String caseId, String callee) {
        return new CallCriteria(Optional.ofNullable(callId), Optional.ofNullable(caseId), Optional.ofNullable(callee));
    }
}
