package io.hookgate.delivery;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SSRF guard where it cannot be bypassed: the HTTP client resolves every new connection's host through it, so
 * the addresses checked are the addresses connected to. A host that resolved to a public address when its destination
 * was saved and to an internal one now (DNS rebinding) is refused at connect time.
 */
final class GuardedAddressResolver implements SocketAddressResolver {

    /** Why a connection was not opened; the attempt records it as {@code blocked_address}. */
    static final class BlockedAddressException extends IOException {
        BlockedAddressException(String reason) {
            super(reason);
        }
    }

    private final SocketAddressResolver dns;
    private final DestinationUrlPolicy policy;

    GuardedAddressResolver(SocketAddressResolver dns, DestinationUrlPolicy policy) {
        this.dns = dns;
        this.policy = policy;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        dns.resolve(host, port, context, Promise.from(resolved -> {
            Optional<String> blocked = policy.blockedReason(host, resolved.stream().map(InetSocketAddress::getAddress).toList());
            if (blocked.isPresent()) {
                promise.failed(new BlockedAddressException(blocked.get()));
            } else {
                promise.succeeded(resolved);
            }
        }, promise::failed));
    }
}
