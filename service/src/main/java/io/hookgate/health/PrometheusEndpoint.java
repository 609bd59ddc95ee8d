package io.hookgate.health;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Every Dropwizard metric in the Prometheus text format, through Prometheus' maintained bridge, at the admin
 * port's {@code /prometheus}: hookgate_ingest_ack (ack latency), hookgate_ingest_notifications_total{tenant, outcome}
 * and hookgate_circuit_open{destination} ({@link LabelledMetrics}), hookgate_ingest_tenant_{id}_{outcome}_total,
 * hookgate_delivery_outcome_{succeeded|retry|dead}_total, hookgate_delivery_attempt (attempt latency),
 * hookgate_delivery_backlog, hookgate_delivery_oldest_overdue_seconds, hookgate_dead_letters_waiting,
 * hookgate_circuit_{destination} (1 while open), plus the JVM, Jetty and connection pool.
 */
public final class PrometheusEndpoint {

    private PrometheusEndpoint() {
    }

    public static PrometheusMetricsServlet servlet(MetricRegistry metrics) {
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder()
            .dropwizardRegistry(metrics)
            // Jersey adds ".total" and ".filtering" timers beside each @Timed one; as "x_total" they would clash with "x"
            .metricFilter((name, metric) -> !name.endsWith(".total") && !name.endsWith(".filtering"))
            .register(registry);
        registry.register(new LabelledMetrics(metrics));
        return new PrometheusMetricsServlet(registry);
    }
}
