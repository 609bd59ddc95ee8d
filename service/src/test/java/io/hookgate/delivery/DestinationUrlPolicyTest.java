package io.hookgate.delivery;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationUrlPolicyTest {

    private static Object reason(boolean allowPrivate, String address) throws Exception {
        return new DestinationUrlPolicy(allowPrivate).blockedReason("host", List.of(InetAddress.getByName(address))).orElse(null);
    }

    @Test
    void cloudMetadataAddressesAreRefusedEvenWhenPrivateDestinationsAreAllowed() throws Exception {
        for (String metadata : List.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "fe80::1")) {
            assertThat(reason(true, metadata)).as(metadata).asString().contains("metadata");
            assertThat(reason(false, metadata)).as(metadata).isNotNull();
        }
    }

    @Test
    void privateAddressesAreRefusedUnlessAllowed() throws Exception {
        for (String internal : List.of("127.0.0.1", "10.1.2.3", "192.168.0.10", "::1")) {
            assertThat(reason(false, internal)).as(internal).asString().contains("HOOKGATE_ALLOW_PRIVATE_DESTINATIONS");
            assertThat(reason(true, internal)).as(internal).isNull();
        }
        assertThat(reason(false, "93.184.215.14")).isNull();
    }
}
