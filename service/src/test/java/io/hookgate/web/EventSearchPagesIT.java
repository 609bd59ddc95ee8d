package io.hookgate.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Support finds a call in an event of many: the results say which calls matched, and the event's page points them out. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EventSearchPagesIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();
    static TestTenant tenant;
    static Browserless support;

    @BeforeAll
    static void anEventOfForty() {
        tenant = HookgateTestApp.createTenant(APP, "Many Calls Ltd");
        ObjectNode payload = AirudderPayloads.seed();
        payload.put("TaskID", "task-of-forty");
        ArrayNode details = payload.withArray("Details");
        ObjectNode first = (ObjectNode) details.get(0);
        details.removeAll();
        for (int i = 0; i < 40; i++) {
            ObjectNode call = first.deepCopy();
            call.put("CallID", i == 39 ? "call-{39}%41" : "call-" + i); // as typed into a link, braces and % are text
            call.put("CaseID", "case-" + i);
            call.put("CalleeNumber", String.format("0812-0000-%04d", i));
            details.add(call);
        }
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(), AirudderPayloads.signed(payload, tenant.key()))
            .status()).isEqualTo(200);
        HookgateTestApp.createUser(APP, "finder@agency.test", "correct horse battery", "support", null);
        support = Browserless.signIn(HookgateTestApp.baseUrl(APP), "finder@agency.test", "correct horse battery");
    }

    @Test
    void theResultsListTheCallFoundAndItsEventPageHighlightsIt() {
        // a ticket quotes the number in international form; the calling list sent it in national form
        Browserless.Page results = support.get("/events?callee=%2B62+812+0000+0017");

        assertThat(results.body()).contains("081200000017 · call-17").doesNotContain("081200000000 · call-0");
        Matcher link = Pattern.compile("href=\"(/events/\\d+\\?callee=[^\"]+)\"").matcher(results.body());
        assertThat(link.find()).as("the event's link carries the search").isTrue();

        String event = support.get(link.group(1).replace("&amp;", "&")).body();
        assertThat(event).contains("The call your search found is highlighted.");
        assertThat(event).containsPattern("<tr class=\"match\">\\s*<td>[^<]*</td>\\s*<td class=\"mono\">0812-0000-0017</td>");
        assertThat(event.split("<tr class=\"match\">", -1)).as("that call only").hasSize(2);
    }

    @Test
    void aCallFoundAfterTheFirstTwentyIsSaidToBeThereAndHighlightedOnTheEventsPage() {
        Browserless.Page results = support.get("/events?callId=call-25");

        assertThat(results.body()).contains("found after its first 20 calls").doesNotContain("· call-0<").doesNotContain("· call-25<");
        String event = support.get(eventLink("/events?callId=call-25")).body();
        assertThat(event.split("<tr class=\"match\">", -1)).hasSize(2);
        assertThat(event).containsPattern("<tr class=\"match\">\\s*<td>[^<]*</td>\\s*<td class=\"mono\">0812-0000-0025</td>");
    }

    @Test
    void aSearchedValueWithBracesOrPercentSignsMakesWorkingLinks() {
        String search = "/events?callId=" + URLEncoder.encode("call-{39}%41", StandardCharsets.UTF_8);
        Browserless.Page results = support.get(search);
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.body()).contains("callId=call-%7B39%7D%2541");

        String event = support.get(eventLink(search)).body();
        assertThat(event.split("<tr class=\"match\">", -1)).as("the link carried the CallID as typed").hasSize(2);
        assertThat(event).contains("call-{39}%41");
    }

    @Test
    void aSearchByTaskIdListsTheFirstCallAndHighlightsNone() {
        Browserless.Page results = support.get("/events?taskId=task-of-forty");

        assertThat(results.body()).contains("081200000000 · call-0").doesNotContain("· call-1<").doesNotContain("· call-17");
        Matcher link = Pattern.compile("href=\"(/events/\\d+)\"").matcher(results.body());
        assertThat(link.find()).isTrue();
        String event = support.get(link.group(1)).body();
        assertThat(event).doesNotContain("your search found").doesNotContain("class=\"match\"");
    }

    @Test
    void aCaseIdPointsOutItsCall() {
        String byCase = support.get(eventLink("/events?caseId=case-5")).body();
        assertThat(byCase.split("<tr class=\"match\">", -1)).hasSize(2);
        assertThat(byCase).containsPattern("<tr class=\"match\">\\s*<td>[^<]*</td>\\s*<td class=\"mono\">0812-0000-0005</td>");
    }

    private static String eventLink(String search) {
        Matcher link = Pattern.compile("href=\"(/events/\\d+\\?[^\"]+)\"").matcher(support.get(search).body());
        assertThat(link.find()).isTrue();
        return link.group(1).replace("&amp;", "&");
    }
}
