package io.hookgate.delivery;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class GuardedDnsResolverTest {

    private static final InetAddress PUBLIC_V4 = address("93.184.215.14");
    private static final InetAddress PUBLIC_V6 = address("2606:2800:21f:cb07:6820:80da:af6b:8b2c");

    @Test
    void aNameWithAnyInternalAddressIsRefusedAsABlockedAddress() {
        GuardedDnsResolver resolver = new GuardedDnsResolver(new DestinationUrlPolicy(false),
            host -> new InetAddress[] {PUBLIC_V4, address("169.254.169.254")});

        Throwable refused = catchThrowable(() -> resolver.resolve("hooks.example.com"));

        assertThat(refused).isInstanceOf(GuardedDnsResolver.Refused.class)
            .hasMessageStartingWith("host hooks.example.com resolves to the internal address 169.254.169.254");
        assertThat(AttemptErrors.kind(refused)).isEqualTo("blocked_address");
    }

    @Test
    void aPublicNameResolvesToExactlyTheAddressesItWasCheckedWith() throws UnknownHostException {
        GuardedDnsResolver resolver = new GuardedDnsResolver(new DestinationUrlPolicy(false), host -> new InetAddress[] {PUBLIC_V4, PUBLIC_V6});

        assertThat(resolver.resolve("hooks.example.com")).containsExactly(PUBLIC_V4, PUBLIC_V6);
        assertThat(resolver.resolve("hooks.example.com", 443))
            .containsExactly(new InetSocketAddress(PUBLIC_V4, 443), new InetSocketAddress(PUBLIC_V6, 443));
    }

    @Test
    void privateAddressesPassWhenPrivateDestinationsAreAllowed() throws UnknownHostException {
        GuardedDnsResolver resolver = new GuardedDnsResolver(new DestinationUrlPolicy(true),
            host -> new InetAddress[] {address("10.0.0.7"), address("127.0.0.1")});

        assertThat(resolver.resolve("receiver.internal")).containsExactly(address("10.0.0.7"), address("127.0.0.1"));
    }

    @Test
    void aNameThatDoesNotResolveIsADnsFailureNotARefusal() {
        GuardedDnsResolver resolver = new GuardedDnsResolver(new DestinationUrlPolicy(false), host -> {
            throw new UnknownHostException(host);
        });

        Throwable failed = catchThrowable(() -> resolver.resolve("gone.example.com"));

        assertThat(failed).isInstanceOf(UnknownHostException.class).isNotInstanceOf(GuardedDnsResolver.Refused.class);
        assertThat(AttemptErrors.kind(failed)).isEqualTo("dns");
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
