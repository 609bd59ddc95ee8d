package io.hookgate.delivery;

import io.hookgate.support.Problem;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard: destinations are http(s) URLs whose host resolves to public addresses only, checked when a
 * destination is saved and again on every connection the sender opens ({@link GuardedAddressResolver}: DNS may have changed). Private, loopback, link-local,
 * unique-local and carrier-grade NAT addresses are refused unless HOOKGATE_ALLOW_PRIVATE_DESTINATIONS=true (local
 * development and tests); link-local and cloud metadata addresses always are.
 */
public final class DestinationUrlPolicy {

    /** Cloud metadata services outside the link-local ranges: Alibaba's and AWS's IPv6 one (see {@link #isMetadata}). */
    private static final Set<InetAddress> METADATA = Set.of(literal("100.100.100.200"), literal("fd00:ec2::254"));

    private final boolean allowPrivate;

    public DestinationUrlPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL, if acceptable as a destination; otherwise a {@link Problem.Invalid} on {@code url}. */
    public URI validate(String url) {
        if (url == null || url.isBlank()) {
            throw new Problem.Invalid("url", "is required");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Problem.Invalid("url", "is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Problem.Invalid("url", "must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Problem.Invalid("url", "has no host");
        }
        if (uri.getUserInfo() != null) {
            throw new Problem.Invalid("url", "must not carry credentials; use a static Authorization header");
        }
        if (url.length() > 2000) {
            throw new Problem.Invalid("url", "must be at most 2000 characters");
        }
        blockedReason(uri.getHost()).ifPresent(reason -> {
            throw new Problem.Invalid("url", reason);
        });
        return uri;
    }

    /** Why sending to {@code host} is refused right now, if it is (resolving it here, when a destination is saved or tested). */
    public Optional<String> blockedReason(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return blockedReason(host, List.of(InetAddress.getAllByName(bare)));
        } catch (UnknownHostException e) {
            return Optional.of("host " + host + " does not resolve");
        }
    }

    /** Why connecting to {@code host} at these addresses is refused, if it is. */
    Optional<String> blockedReason(String host, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            if (isMetadata(address)) {
                return Optional.of("host " + host + " resolves to " + address.getHostAddress() + ", a link-local or cloud metadata "
                    + "address; no destination may point there, whatever HOOKGATE_ALLOW_PRIVATE_DESTINATIONS says");
            }
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("host " + host + " resolves to the internal address " + address.getHostAddress()
                    + "; destinations must be public (HOOKGATE_ALLOW_PRIVATE_DESTINATIONS=true lifts this for development)");
            }
        }
        return Optional.empty();
    }

    /**
     * Where a cloud host's metadata service answers (credentials among it): link-local 169.254.0.0/16 and fe80::/10
     * (AWS, GCP, Azure, ECS), Alibaba's 100.100.100.200 and AWS's fd00:ec2::254. Nothing a developer sends webhooks to.
     */
    static boolean isMetadata(InetAddress address) {
        return address.isLinkLocalAddress() || METADATA.contains(address);
    }

    /** An address written as digits: parsed, never looked up. */
    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
            || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0                                   // "this" network
                || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT, incl. Alibaba's metadata 100.100.100.200
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                || first >= 240;                                // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;        // fc00::/7, incl. AWS's fd00:ec2::254
            boolean ipv4Compatible = true;
            for (int i = 0; i < 12; i++) {
                ipv4Compatible &= b[i] == 0;
            }
            return uniqueLocal || ipv4Compatible;
        }
        return false;
    }
}
