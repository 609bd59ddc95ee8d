package io.hookgate.delivery;

import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The HTTP client's only way from a host name to addresses: it refuses the name if any address is internal and
 * otherwise returns exactly the addresses it checked, so a connection can only go where the SSRF guard looked.
 * A separate check before sending would not do: the client would resolve again, and a hostile DNS server can
 * answer a public address to the check and 127.0.0.1 to the connection (DNS rebinding).
 */
final class GuardedDnsResolver implements DnsResolver {

    /** Where addresses come from: the system resolver, or a stub in tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    /** A name refused by the guard. An {@link UnknownHostException}, as the resolver may throw nothing else. */
    static final class Refused extends UnknownHostException {
        Refused(String reason) {
            super(reason);
        }
    }

    private final DestinationUrlPolicy policy;
    private final Lookup lookup;

    GuardedDnsResolver(DestinationUrlPolicy policy) {
        this(policy, InetAddress::getAllByName);
    }

    GuardedDnsResolver(DestinationUrlPolicy policy, Lookup lookup) {
        this.policy = policy;
        this.lookup = lookup;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = lookup.addresses(host);
        Optional<String> refusal = policy.refusal(host, addresses);
        if (refusal.isPresent()) {
            throw new Refused(refusal.get());
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return resolve(host)[0].getCanonicalHostName(); // only Kerberos authentication asks, which we never do
    }
}
