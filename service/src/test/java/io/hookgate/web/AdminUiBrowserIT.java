package io.hookgate.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browser;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestDatabase;
import io.hookgate.testing.TestReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin UI in a real headless Chromium, as agency staff use it: sign in, onboard a client with a test call,
 * add a destination, find a call by its CallID, replay dead letters in bulk. Each step leaves a screenshot in
 * target/screenshots. Run with {@code mvn verify -Pbrowser}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiBrowserIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(settings());
    static Browser browser;
    static TestReceiver receiver;
    static String tenantPath;
    static String key;
    static String callbackUrl;
    static String testCallId;

    static Map<String, String> settings() {
        Map<String, String> settings = HookgateTestApp.settings(TestDatabase.fresh());
        // three failures then successes open the destination's circuit (3 of 5 failed); keep its pause short here
        settings.put("delivery.circuitOpenFor", "2s");
        return settings;
    }

    @BeforeAll
    static void openBrowser() {
        browser = new Browser(HookgateTestApp.baseUrl(APP));
        receiver = TestReceiver.start();
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
        receiver.close();
    }

    @Test
    @Order(1)
    void signInLeadsToTheDashboard() {
        browser.open("/tenants");
        assertThat(browser.path()).startsWith("/login");
        browser.screenshot("login");
        browser.type("email", HookgateTestApp.ADMIN_EMAIL);
        browser.type("password", "not the password");
        browser.click(By.cssSelector("button[type=submit]"));
        browser.awaitHeading("Hookgate");
        assertThat(browser.text(By.cssSelector("[role=alert]"))).contains("Wrong email or password");

        browser.type("email", HookgateTestApp.ADMIN_EMAIL);
        browser.type("password", HookgateTestApp.ADMIN_PASSWORD);
        browser.click(By.cssSelector("button[type=submit]"));
        browser.awaitHeading("Tenants");
        assertThat(browser.path()).isEqualTo("/tenants");
        browser.open("/");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Dashboard");
        browser.screenshot("dashboard");
    }

    @Test
    @Order(2)
    void onboardingShowsTheValuesForAirudderAndTheTestCallIsAcceptedAndStored() {
        browser.open("/tenants");
        browser.type("name", "Acme Collections");
        browser.click(By.cssSelector("form[action='/tenants'] button[type=submit]"));
        browser.awaitHeading("Register Acme Collections");
        callbackUrl = browser.text(By.id("callback-url"));
        key = browser.text(By.id("tenant-key"));
        assertThat(callbackUrl).contains("/hooks/");
        assertThat(browser.pageText()).as("a callback URL on localhost is one AIRUDDER cannot call").contains("AIRUDDER cannot reach it");
        assertThat(key).hasSize(32);
        browser.screenshot("onboarding");

        browser.click(By.xpath("//button[text()='Send a test call']"));
        browser.awaitHeading("Test call for");
        String page = browser.pageText();
        assertThat(page).contains("Accepted at the callback path (sent by this gateway to itself): yes, 200").contains("Stored: yes");
        testCallId = browser.text(By.cssSelector("p.muted code"));
        tenantPath = browser.find(By.linkText("Back to the tenant")).getAttribute("href");
        browser.screenshot("test-call");
    }

    @Test
    @Order(3)
    void addingADestinationDeliversTheNextTestCall() {
        browser.driver().get(tenantPath);
        browser.awaitHeading("Acme Collections");
        browser.click(By.linkText("Add a destination"));
        browser.awaitHeading("New destination");
        browser.type("name", "CRM receiver");
        browser.type("url", "ftp://files.example.com/calls");
        browser.click(By.xpath("//button[text()='Create destination']"));
        browser.awaitHeading("New destination");
        assertThat(browser.pageText()).contains("Please correct the fields marked below");
        assertThat(browser.find(By.id("url")).getAttribute("aria-invalid")).as("the field in error says so").isEqualTo("true");
        assertThat(browser.find(By.id(browser.find(By.id("url")).getAttribute("aria-describedby"))).getText())
            .as("and points at its message").isNotBlank();
        assertThat(browser.find(By.id("name")).getAttribute("aria-invalid")).isNull();
        browser.screenshot("destination-form-error");

        browser.type("url", receiver.url());
        browser.type("headers", "Authorization: Bearer crm-secret");
        browser.click(By.xpath("//button[text()='Create destination']"));
        browser.awaitHeading("CRM receiver");
        assertThat(browser.pageText()).contains("Destination saved.").contains("shown here once").contains("circuit closed");
        String shownSecret = browser.text(By.id("signing-secret"));
        long destinationId = Long.parseLong(browser.driver().getCurrentUrl().replaceAll(".*/destinations/(\\d+).*", "$1"));
        assertThat(shownSecret).as("the secret the receiver needs, as the API gives it on creation")
            .isEqualTo(HookgateTestApp.admin(APP).get("/api/v1/destinations/" + destinationId).json().get("signingSecret").asText());
        browser.driver().navigate().refresh();
        browser.awaitHeading("CRM receiver");
        assertThat(browser.driver().findElements(By.id("signing-secret"))).as("shown once: a reload hides it").isEmpty();
        assertThat(browser.find(By.id("headers")).getAttribute("value")).doesNotContain("crm-secret");
        browser.screenshot("destination");

        browser.driver().get(tenantPath);
        browser.click(By.xpath("//button[text()='Send a test call']"));
        browser.awaitHeading("Test call for");
        browser.await(d -> d.findElement(By.tagName("body")).getText().contains("succeeded"), Duration.ofSeconds(15));
        assertThat(browser.pageText()).contains("CRM receiver");
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).header("Authorization")).isEqualTo("Bearer crm-secret");
        browser.screenshot("test-call-delivered");
    }

    @Test
    @Order(4)
    void supportFindsACallByItsCallId() {
        browser.open("/events");
        browser.type("callId", testCallId);
        browser.click(By.xpath("//button[text()='Search']"));
        browser.await(d -> d.getCurrentUrl().contains("callId="), Duration.ofSeconds(10));
        assertThat(browser.driver().findElements(By.cssSelector("tbody tr"))).hasSize(1);
        browser.screenshot("events-search");
        browser.click(By.cssSelector("tbody tr td a"));
        browser.awaitHeading("Event");
        assertThat(browser.pageText()).contains("WILL SMITH").contains(testCallId).contains("Raw JSON");
        browser.screenshot("event");
    }

    @Test
    @Order(5)
    void deadLettersAreReplayedInBulkAfterAConfirmationThatStatesTheCount() {
        TestReceiver failing = TestReceiver.start().answering(n -> TestReceiver.Answer.status(500));
        try {
            long tenantId = Long.parseLong(tenantPath.substring(tenantPath.lastIndexOf('/') + 1));
            Http admin = HookgateTestApp.admin(APP);
            assertThat(admin.post("/api/v1/tenants/" + tenantId + "/destinations", Http.json(Map.of("name", "Failing ERP",
                "url", failing.url(), "maxAttempts", 1))).status()).isEqualTo(201);
            String url = HookgateTestApp.localCallbackUrl(APP, callbackUrl);
            for (int i = 0; i < 3; i++) {
                assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(url, AirudderPayloads.signedUnique(key, p -> { })).status())
                    .isEqualTo(200);
            }
            browser.open("/dead-letters");
            browser.await(d -> {
                d.navigate().refresh();
                return d.findElements(By.cssSelector("tbody tr")).size() == 3;
            }, Duration.ofSeconds(20));
            browser.screenshot("dead-letters");
            assertThat(browser.driver().findElements(By.cssSelector("tbody tr td:nth-child(4)")))
                .as("the destination column names the destination").allMatch(cell -> cell.getText().equals("Failing ERP"));
            // choosing a tenant offers its destinations at once, without pressing Filter first
            assertThat(browser.driver().findElement(By.id("destination")).isEnabled()).isFalse();
            new Select(browser.driver().findElement(By.id("tenant"))).selectByValue(String.valueOf(tenantId));
            browser.await(d -> d.getCurrentUrl().contains("tenant=" + tenantId), Duration.ofSeconds(10));
            Select destinations = new Select(browser.driver().findElement(By.id("destination")));
            assertThat(destinations.getOptions()).extracting(WebElement::getText).contains("All destinations", "Failing ERP");
            browser.open("/dead-letters");
            browser.click(By.xpath("//button[text()='Replay selected']"));
            browser.await(d -> d.getCurrentUrl().contains("notice=none-selected"), Duration.ofSeconds(10));
            assertThat(browser.pageText()).contains("Nothing was replayed: tick the dead letters to replay");
            // the status as the list shows it filters the list
            browser.type("lastStatus", "HTTP 500");
            browser.click(By.xpath("//button[text()='Filter']"));
            browser.await(d -> d.getCurrentUrl().contains("lastStatus="), Duration.ofSeconds(10));
            assertThat(browser.driver().findElements(By.cssSelector("tbody tr"))).hasSize(3);

            failing.answering(n -> TestReceiver.Answer.ok());
            browser.click(By.xpath("//button[text()='Replay all 3 matching']"));
            browser.awaitHeading("Replay 3");
            assertThat(browser.text(By.tagName("h1"))).isEqualTo("Replay 3 dead letters?");
            assertThat(browser.pageText()).as("the confirmation restates the filter").contains("Tenant: every tenant")
                .contains("Destination: every destination").contains("Last status: HTTP 500");
            browser.screenshot("replay-confirm");
            browser.click(By.xpath("//button[text()='Replay 3']"));
            browser.awaitHeading("Replay 1");
            browser.screenshot("replay-progress");
            awaitReplayCompleted(admin);
            assertThat(browser.pageText()).contains("3\nmatched").contains("3\ndelivered");
            assertThat(failing.received()).hasSize(6);
            browser.screenshot("replay-completed");

            browser.open("/dead-letters");
            assertThat(browser.pageText()).contains("No dead letter is waiting");
            browser.click(By.name("replayed"));
            browser.click(By.xpath("//button[text()='Filter']"));
            browser.await(d -> d.getCurrentUrl().contains("replayed=on"), Duration.ofSeconds(10));
            List<WebElement> rows = browser.driver().findElements(By.cssSelector("tbody tr"));
            assertThat(rows).as("the replayed ones, on request").hasSize(3);
            assertThat(rows).allMatch(row -> row.getText().contains("by " + HookgateTestApp.ADMIN_EMAIL));
            assertThat(rows).as("nothing left to select").allMatch(row -> row.findElements(By.cssSelector("input[type=checkbox]")).isEmpty());
            Set<String> taskIds = rows.stream().map(row -> row.findElement(By.cssSelector("td:nth-child(6)")).getText()).collect(Collectors.toSet());
            assertThat(taskIds).as("each row names its TaskID").hasSize(3).allMatch(t -> t.matches("[0-9a-f]{32}"));
            WebElement replayDelivery = rows.get(0).findElement(By.partialLinkText("delivery "));
            String deliveryAnchor = "#delivery-" + replayDelivery.getText().replace("delivery ", "");
            replayDelivery.click();
            browser.await(d -> d.getCurrentUrl().endsWith(deliveryAnchor), Duration.ofSeconds(10));
            assertThat(browser.driver().findElement(By.cssSelector(deliveryAnchor)).getText()).as("the replay's own delivery")
                .contains("succeeded").contains("replay 1");
        } finally {
            failing.close();
        }
    }

    @Test
    @Order(6)
    void aRefusedCallIsFoundFromTheEmptySearchAndAnApiTokenIsMadeOnTheAccountPage() {
        ObjectNode refused = AirudderPayloads.seed();
        refused.put("TaskID", "task-refused-in-the-browser");
        refused.put("Sign", "0123456789abcdef0123456789abcdef");
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(HookgateTestApp.localCallbackUrl(APP, callbackUrl),
            AirudderPayloads.bytes(refused)).status()).isEqualTo(401);

        browser.open("/events");
        browser.type("taskId", "task-refused-in-the-browser");
        browser.click(By.xpath("//button[text()='Search']"));
        browser.await(d -> d.getCurrentUrl().contains("taskId="), Duration.ofSeconds(10));
        browser.click(By.linkText("search the rejected requests"));
        browser.awaitHeading("Rejected requests");
        assertThat(browser.driver().findElements(By.cssSelector("tbody tr"))).hasSize(1);
        assertThat(browser.text(By.cssSelector("tbody tr"))).contains("Acme Collections").contains("bad_signature")
            .contains("task-refused-in-the-browser");
        browser.screenshot("rejections");

        browser.open("/account");
        browser.type("token-name", "nightly export");
        browser.click(By.xpath("//button[text()='Create API token']"));
        browser.awaitHeading("Your account");
        String token = browser.text(By.id("new-token"));
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).bearer(token).get("/api/v1/tenants").status()).isEqualTo(200);
        browser.screenshot("account-token");
    }

    @Test
    @Order(7)
    void aNewDestinationIsSentTheEventsItMissedFromItsPageAfterAConfirmationThatStatesTheCount() {
        long tenantId = Long.parseLong(tenantPath.substring(tenantPath.lastIndexOf('/') + 1));
        Http admin = HookgateTestApp.admin(APP);
        int events = admin.get("/api/v1/tenants/" + tenantId + "/events?limit=100").json().get("items").size();
        try (TestReceiver late = TestReceiver.start()) {
            long destination = admin.post("/api/v1/tenants/" + tenantId + "/destinations", Http.json(Map.of("name", "Late CRM",
                "url", late.url()))).json().get("id").asLong();
            browser.open("/destinations/" + destination);
            // a datetime-local field takes its value as the browser's own picker would set it
            ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1]", browser.find(By.id("since")),
                LocalDateTime.now(ZoneOffset.UTC).minusDays(1).truncatedTo(ChronoUnit.MINUTES).toString());
            browser.screenshot("destination-events-missed");
            browser.click(By.xpath("//button[text()='Find them']"));
            browser.awaitHeading("Send Late CRM");
            assertThat(browser.text(By.tagName("h1"))).isEqualTo("Send Late CRM the " + events + " events it missed?");
            browser.screenshot("replay-missing-confirm");
            browser.click(By.xpath("//button[text()='Send " + events + "']"));
            browser.awaitHeading("Replay");
            assertThat(browser.pageText()).contains("Events destination Late CRM never got");
            awaitReplayCompleted(admin);
            assertThat(browser.pageText()).contains(events + "\nmatched").contains(events + "\ndelivered").contains("Back to the destination");
            assertThat(late.received()).hasSize(events);
            browser.screenshot("replay-missing-completed");
        }
    }

    /** Waits for the replay page, which reloads itself every 2 s, to say that the replay completed. */
    private static void awaitReplayCompleted(Http admin) {
        try {
            browser.await(d -> {
                try {
                    return d.findElement(By.tagName("h1")).getText().contains("completed");
                } catch (WebDriverException refreshing) {
                    return false;
                }
            }, Duration.ofSeconds(30));
        } catch (TimeoutException e) {
            throw new AssertionError("replay not completed; API says " + admin.get("/api/v1/replays").body()
                + "; page says " + browser.pageText(), e);
        }
    }
}
