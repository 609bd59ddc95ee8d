package io.hookgate.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin port's {@code /ready}, for a load balancer: whether this instance can take AIRUDDER's notifications now,
 * that is whether its database answers. A delivery backlog, a paused worker or an open circuit fail or warn in
 * {@code /healthcheck}, for whoever is paged; taking every instance out of the balancer for them would refuse the
 * notifications themselves, which AIRUDDER drops after five retries.
 */
public final class IngestReadiness extends HttpServlet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HealthCheckRegistry checks;
    private final String databaseCheck;

    public IngestReadiness(HealthCheckRegistry checks, String databaseCheck) {
        this.checks = checks;
        this.databaseCheck = databaseCheck;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthCheck.Result database = checks.runHealthCheck(databaseCheck);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", database.isHealthy());
        if (!database.isHealthy()) {
            body.put("message", "the database does not answer: " + database.getMessage());
        }
        response.setStatus(database.isHealthy() ? 200 : 503);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
