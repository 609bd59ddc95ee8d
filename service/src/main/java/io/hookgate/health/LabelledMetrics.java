package io.hookgate.health;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.Map;

/**
 * The per-tenant and per-destination metrics as Prometheus families with labels, so that one query sums or alerts
 * across tenants: {@code hookgate_ingest_notifications_total{tenant, outcome}} from the meters
 * {@code hookgate.ingest.tenant.{id}.{outcome}}, and {@code hookgate_circuit_open{destination}} from the gauges
 * {@code hookgate.circuit.{id}}. Dropwizard names carry no labels, hence the id in the name there.
 */
final class LabelledMetrics implements MultiCollector {

    static final String INGEST_PREFIX = "hookgate.ingest.tenant.";
    static final String CIRCUIT_PREFIX = "hookgate.circuit.";

    private final MetricRegistry metrics;

    LabelledMetrics(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder ingest = CounterSnapshot.builder().name("hookgate_ingest_notifications")
            .help("Notifications received, by tenant and outcome (stored, duplicate, bad_signature, invalid_json, ..., store_failed)");
        for (Map.Entry<String, Meter> meter : metrics.getMeters((name, m) -> name.startsWith(INGEST_PREFIX)).entrySet()) {
            String[] tenantAndOutcome = meter.getKey().substring(INGEST_PREFIX.length()).split("\\.", 2);
            if (tenantAndOutcome.length == 2) {
                ingest.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("tenant", tenantAndOutcome[0], "outcome", tenantAndOutcome[1]))
                    .value(meter.getValue().getCount()).build());
            }
        }
        GaugeSnapshot.Builder circuits = GaugeSnapshot.builder().name("hookgate_circuit_open")
            .help("1 while the destination's circuit is open or half open, on this instance");
        for (Map.Entry<String, Gauge> gauge : metrics.getGauges((name, m) -> name.startsWith(CIRCUIT_PREFIX)).entrySet()) {
            if (gauge.getValue().getValue() instanceof Number open) {
                circuits.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("destination", gauge.getKey().substring(CIRCUIT_PREFIX.length())))
                    .value(open.doubleValue()).build());
            }
        }
        return MetricSnapshots.of(ingest.build(), circuits.build());
    }
}
