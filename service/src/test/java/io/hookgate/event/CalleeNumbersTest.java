package io.hookgate.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CalleeNumbersTest {

    @Test
    void aNumberTypedWithoutThePlusAlsoMatchesTheFormAirudderSends() {
        assertThat(CalleeNumbers.searchForms("8613800138000")).containsExactly("8613800138000", "+8613800138000");
    }

    @Test
    void separatorsFromATicketAreDropped() {
        assertThat(CalleeNumbers.searchForms(" +86 (138) 0013-8000 ")).contains("+8613800138000", "8613800138000");
    }

    @Test
    void aNumberTypedAsStoredIsSearchedFirstAsTyped() {
        assertThat(CalleeNumbers.searchForms("+86xxxxxxxx721")).first().isEqualTo("+86xxxxxxxx721");
    }

    @Test
    void aNumberIsStoredWithoutItsSeparators() {
        assertThat(CalleeNumbers.compact("+62 (812) 3456-7890")).isEqualTo("+6281234567890");
        assertThat(CalleeNumbers.compact("+86xxxxxxxx721")).isEqualTo("+86xxxxxxxx721");
        assertThat(CalleeNumbers.compact(" - ")).isNull();
        assertThat(CalleeNumbers.compact(null)).isNull();
    }
}
