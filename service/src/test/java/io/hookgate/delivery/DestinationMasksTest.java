package io.hookgate.delivery;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationMasksTest {

    @Test
    void aViewerSeesWhereTheReceiverIsButNotItsCredentials() {
        assertThat(DestinationMasks.forViewer(URI.create("https://crm.example.com/hooks/airudder?token=s3cr3t&account=42")))
            .isEqualTo("https://crm.example.com/hooks/airudder?token=••••••&account=••••••");
        assertThat(DestinationMasks.forViewer(URI.create("https://crm.example.com:8443/in?key")))
            .isEqualTo("https://crm.example.com:8443/in?••••••");
    }

    @Test
    void aTokenInThePathKeepsOnlyItsLastFourCharacters() {
        assertThat(DestinationMasks.forViewer(URI.create("https://hooks.slack.com/services/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")))
            .isEqualTo("https://hooks.slack.com/services/T0123ABCD/B0456EFGH/••••••PQRS");
        assertThat(DestinationMasks.forViewer(URI.create("https://hooks.example.com/in/abcdefghijklmnopqrstuvwx")))
            .as("a long token of letters only").isEqualTo("https://hooks.example.com/in/••••••uvwx");
        assertThat(DestinationMasks.forViewer(URI.create("https://crm.example.com/h;jsessionid=SECRET123;v=2/in")))
            .isEqualTo("https://crm.example.com/h;jsessionid=••••••;v=••••••/in");
        assertThat(DestinationMasks.forViewer(URI.create("https://crm.example.com/webhooks/incoming-notifications/")))
            .as("words without a digit are the path's shape").isEqualTo("https://crm.example.com/webhooks/incoming-notifications/");
    }

    @Test
    void aPlainUrlIsShownAsItIs() {
        assertThat(DestinationMasks.forViewer(URI.create("http://127.0.0.1:9/crm"))).isEqualTo("http://127.0.0.1:9/crm");
        assertThat(DestinationMasks.forViewer(URI.create("https://[2001:db8::1]/hook"))).isEqualTo("https://[2001:db8::1]/hook");
        assertThat(DestinationMasks.forViewer(URI.create("https://crm.example.com"))).isEqualTo("https://crm.example.com");
    }
}
