package io.hookgate.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.event.EventKind;
import io.hookgate.support.SecretBox;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Between stored rows and domain destinations: opens the sealed headers, reads the filter JSON. */
final class DestinationCodec {

    private final SecretBox secrets;
    private final ObjectMapper json;

    DestinationCodec(SecretBox secrets, ObjectMapper json) {
        this.secrets = secrets;
        this.json = json;
    }

    Destination destination(DestinationRow row) {
        Map<String, String> headers = row.headersCiphertext() == null ? Map.of() : read(secrets.open(row.headersCiphertext()), new TypeReference<>() { });
        Optional<DeliveryFilter> filter = Optional.ofNullable(row.filterJson()).map(f -> read(f, new TypeReference<DeliveryFilter>() { }));
        DestinationSettings settings = new DestinationSettings(row.name(), URI.create(row.url()), row.enabled(),
            Arrays.stream(row.kinds()).map(k -> EventKind.fromWireName(k).orElse(EventKind.UNKNOWN)).collect(Collectors.toSet()),
            filter, headers, new RetryPolicy(row.timeoutMs(), row.maxAttempts(), row.backoffInitialMs(), row.backoffMultiplier(),
            row.backoffMaxMs()), Optional.ofNullable(row.rateLimitPerSecond()), row.maxInFlight());
        return new Destination(row.id(), row.tenantId(), settings, row.createdAt(), row.updatedAt());
    }

    String[] kinds(DestinationSettings settings) {
        return settings.kinds().stream().map(EventKind::wireName).sorted().toArray(String[]::new);
    }

    String filterJson(DestinationSettings settings) {
        return settings.filter().map(this::write).orElse(null);
    }

    String filterPath(DestinationSettings settings) {
        return settings.filter().map(DeliveryFilter::toJsonPath).orElse(null);
    }

    byte[] sealedHeaders(DestinationSettings settings) {
        return settings.headers().isEmpty() ? null : secrets.seal(write(settings.headers()));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored destination field is not readable", e);
        }
    }
}
