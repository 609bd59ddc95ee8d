package io.hookgate.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CalleeNumbersTest {

    @Test
    void aNumberIsSearchedByItsEndWithoutThePlusOrTheZerosOfADiallingPrefix() {
        for (String typed : new String[] {"+6281234567890", "6281234567890", "006281234567890"}) {
            assertThat(CalleeNumbers.search(typed)).as(typed).contains(new CalleeNumbers.Search("6281234567890", false));
        }
        assertThat(CalleeNumbers.search("0812-3456-7890")).contains(new CalleeNumbers.Search("81234567890", false));
    }

    @Test
    void separatorsFromATicketAreDropped() {
        assertThat(CalleeNumbers.search(" +86 (138) 0013-8000 ")).contains(new CalleeNumbers.Search("8613800138000", false));
        assertThat(CalleeNumbers.search("+86xxxxxxxx721")).contains(new CalleeNumbers.Search("86xxxxxxxx721", false));
    }

    @Test
    void aShortNumberMustBeTheWholeNumberItsZerosIncluded() {
        assertThat(CalleeNumbers.search("+62 812")).contains(new CalleeNumbers.Search("62812", true));
        assertThat(CalleeNumbers.search("01234")).contains(new CalleeNumbers.Search("01234", true));
        assertThat(CalleeNumbers.search("+00")).contains(new CalleeNumbers.Search("00", true));
        assertThat(CalleeNumbers.search("123456")).contains(new CalleeNumbers.Search("123456", false));
    }

    @Test
    void nothingLeftIsNoSearch() {
        assertThat(CalleeNumbers.search(" - ")).isEmpty();
        assertThat(CalleeNumbers.search(" + ")).isEmpty();
    }

    @Test
    void aNumberIsStoredWithoutItsSeparators() {
        assertThat(CalleeNumbers.compact("+62 (812) 3456-7890")).isEqualTo("+6281234567890");
        assertThat(CalleeNumbers.compact("+86xxxxxxxx721")).isEqualTo("+86xxxxxxxx721");
        assertThat(CalleeNumbers.compact(" - ")).isNull();
        assertThat(CalleeNumbers.compact(null)).isNull();
    }
}
