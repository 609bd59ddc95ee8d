package io.hookgate.ingest;

import java.util.Map;
import java.util.Optional;

/**
 * A POST to a callback URL as received. {@code body} holds at most the size limit plus one byte; {@code tooLarge}
 * says the request was bigger than the limit.
 */
public record InboundRequest(String token, Optional<String> kindSuffix, byte[] body, boolean tooLarge, String sourceIp,
                             Map<String, String> headers) {
}
