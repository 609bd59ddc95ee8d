package io.hookgate.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CalleeNumbersTest {

    @Test
    void aNumberIsSearchedByItsEndWithoutThePlusOrTheZerosOfADiallingPrefix() {
        for (String typed : new String[] {"+6281234567890", "6281234567890", "006281234567890"}) {
            assertThat(CalleeNumbers.search(typed).map(CalleeNumbersTest::end)).as(typed).contains("6281234567890");
        }
        assertThat(CalleeNumbers.search("0812-3456-7890")).contains(new CalleeNumbers.Search("81234567890", false));
    }

    @Test
    void aNumberTypedWithItsCountryCodeAlsoFindsItSentInNationalFormAndNoOtherNumber() {
        assertThat(CalleeNumbers.search("+62 812 1111 2222")).contains(new CalleeNumbers.Search("6281211112222", false,
            List.of("081211112222", "81211112222")));
        assertThat(CalleeNumbers.search("0062 812 1111 2222").orElseThrow().national()).containsExactly("081211112222", "81211112222");
        assertThat(CalleeNumbers.search("+44 20 7946 0958").orElseThrow().national()).containsExactly("02079460958", "2079460958");
        assertThat(CalleeNumbers.search("+1 212 555 0100").orElseThrow().national()).as("no trunk prefix in the US").containsExactly("2125550100");
        assertThat(CalleeNumbers.search("62 812 1111 2222").orElseThrow().national()).as("no + or 00: maybe no country code").isEmpty();
        assertThat(CalleeNumbers.search("+999 1234 5678").orElseThrow().national()).as("no such country code").isEmpty();
    }

    @Test
    void separatorsFromATicketAreDropped() {
        assertThat(CalleeNumbers.search(" +86 (138) 0013-8000 ").map(CalleeNumbersTest::end)).contains("8613800138000");
        assertThat(CalleeNumbers.search("+86xxxxxxxx721").map(CalleeNumbersTest::end)).contains("86xxxxxxxx721");
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

    /** What a stored number must end with (a search by the end, not the whole number). */
    private static String end(CalleeNumbers.Search search) {
        assertThat(search.whole()).isFalse();
        return search.digits();
    }
}
