package io.hookgate.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.hookgate.delivery.AttemptResult;
import io.hookgate.delivery.DeliveryFilter;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationMasks;
import io.hookgate.delivery.DestinationSettings;
import io.hookgate.delivery.DestinationUrlPolicy;
import io.hookgate.delivery.RetryPolicy;
import io.hookgate.event.EventKind;
import io.hookgate.support.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A destination as the API shows it: header values masked, the signing secret only for those who manage it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DestinationJson(long id, long tenantId, String name, String url, boolean enabled, List<String> kinds,
                              List<DeliveryFilter.Condition> filter, Map<String, String> headers, int timeoutMs, int maxAttempts,
                              Backoff backoff, Double rateLimitPerSecond, int maxInFlight, String signingSecret,
                              String previousSecretValidUntil, String circuit, String circuitTrialAt, String createdAt,
                              String updatedAt) {

    public record Backoff(Long initialMs, Double multiplier, Long maxMs) {
    }

    /** The body of POST and PUT; absent fields take their defaults. What GET shows besides the settings is ignored. */
    @JsonIgnoreProperties(value = {"id", "tenantId", "signingSecret", "previousSecretValidUntil",
        "circuit", "circuitTrialAt", "createdAt", "updatedAt"})
    public record Request(String name, String url, Boolean enabled, List<String> kinds, List<DeliveryFilter.Condition> filter,
                          Map<String, String> headers, Integer timeoutMs, Integer maxAttempts, Backoff backoff,
                          Double rateLimitPerSecond, Integer maxInFlight) {

        DestinationSettings settings(DestinationUrlPolicy urls) {
            RetryPolicy d = RetryPolicy.DEFAULT;
            Backoff b = backoff == null ? new Backoff(null, null, null) : backoff;
            Set<EventKind> kindSet = kinds == null ? Set.of() : kinds.stream()
                .map(k -> EventKind.fromWireName(k).orElseThrow(() -> new Problem.Invalid("kinds", "unknown kind \"" + k + "\"")))
                .collect(Collectors.toSet());
            return new DestinationSettings(name, urls.validate(url), enabled == null || enabled, kindSet,
                filter == null || filter.isEmpty() ? Optional.empty() : Optional.of(new DeliveryFilter(filter)),
                headers == null ? Map.of() : headers,
                new RetryPolicy(timeoutMs == null ? d.timeoutMs() : timeoutMs, maxAttempts == null ? d.maxAttempts() : maxAttempts,
                    b.initialMs() == null ? d.initialMs() : b.initialMs(), b.multiplier() == null ? d.multiplier() : b.multiplier(),
                    b.maxMs() == null ? d.maxMs() : b.maxMs()),
                Optional.ofNullable(rateLimitPerSecond), maxInFlight == null ? DestinationSettings.DEFAULT_MAX_IN_FLIGHT : maxInFlight);
        }
    }

    /**
     * {@code manages}: whether the caller manages the destination's tenant; others (support) see the URL without its
     * credentials and no signing secret. {@code circuitTrialAt}: when the open circuit (on the instance that answers)
     * lets a trial delivery through.
     */
    static DestinationJson of(Destination d, boolean manages, String signingSecret, String previousSecretValidUntil, String circuit,
                              String circuitTrialAt) {
        Map<String, String> masked = new TreeMap<>();
        d.headers().keySet().forEach(name -> masked.put(name, DestinationMasks.MASK));
        RetryPolicy r = d.retry();
        return new DestinationJson(d.id().value(), d.tenantId().value(), d.name(),
            DestinationMasks.url(d.url(), manages), d.enabled(),
            d.kinds().stream().map(EventKind::wireName).sorted().toList(), d.filter().map(DeliveryFilter::conditions).orElse(null),
            masked, r.timeoutMs(), r.maxAttempts(), new Backoff(r.initialMs(), r.multiplier(), r.maxMs()),
            d.settings().rateLimitPerSecond().orElse(null), d.settings().maxInFlight(), signingSecret, previousSecretValidUntil,
            circuit, circuitTrialAt, d.createdAt().toString(), d.updatedAt().toString());
    }

    static Map<String, Object> attemptResult(AttemptResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("succeeded", result.succeeded());
        body.put("statusCode", result.statusCode());
        body.put("latencyMs", result.durationMs());
        body.put("responseExcerpt", result.responseExcerpt());
        body.put("errorKind", result.errorKind());
        body.put("error", result.error());
        return body;
    }
}
