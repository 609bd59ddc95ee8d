package io.hookgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookgate.HookgateApplication;
import io.hookgate.HookgateConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole service booted from the real config.yml on random ports, against a fresh database. Register it as a
 * static {@code @RegisterExtension} field: {@code static final DropwizardAppExtension<…> APP = HookgateTestApp.extension();}
 */
public final class HookgateTestApp {

    public static final String ADMIN_EMAIL = "admin@hookgate.test";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final Path CONFIG = Path.of("..", "config.yml").toAbsolutePath().normalize();

    private HookgateTestApp() {
    }

    public static DropwizardAppExtension<HookgateConfiguration> extension() {
        return extension(settings(TestDatabase.fresh()));
    }

    public static DropwizardAppExtension<HookgateConfiguration> extension(Map<String, String> settings) {
        return new DropwizardAppExtension<>(HookgateApplication.class, CONFIG.toString(), overrides(settings));
    }

    /** Settings for a test server on random ports against {@code databaseUrl}; change them, then pass to {@link #overrides}. */
    public static Map<String, String> settings(String databaseUrl) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("database.url", databaseUrl);
        settings.put("database.user", "");
        settings.put("database.password", "");
        settings.put("masterKey", MASTER_KEY);
        settings.put("adminEmail", ADMIN_EMAIL);
        settings.put("adminPassword", ADMIN_PASSWORD);
        settings.put("dataDir", tempDir().toString());
        settings.put("server.applicationConnectors[0].port", "0");
        settings.put("server.adminConnectors[0].port", "0");
        settings.put("logging.level", "WARN");
        settings.put("delivery.allowPrivateDestinations", "true"); // test receivers listen on 127.0.0.1
        settings.put("delivery.pollInterval", "200ms");
        // request lines go to a file, so test output shows what failed
        settings.put("server.requestLog.appenders[0].type", "file");
        settings.put("server.requestLog.appenders[0].currentLogFilename", tempDir().resolve("requests.log").toString());
        settings.put("server.requestLog.appenders[0].archive", "false");
        return settings;
    }

    /** A service to start and stop within a test ({@code before()}, {@code after()}), as when the database must go away. */
    public static DropwizardTestSupport<HookgateConfiguration> support(Map<String, String> settings) {
        return new DropwizardTestSupport<>(HookgateApplication.class, CONFIG.toString(), overrides(settings));
    }

    public static ConfigOverride[] overrides(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> ConfigOverride.config(e.getKey(), e.getValue())).toArray(ConfigOverride[]::new);
    }

    public static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("hookgate-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String baseUrl(DropwizardAppExtension<HookgateConfiguration> app) {
        return "http://localhost:" + app.getLocalPort();
    }

    public static Http admin(DropwizardAppExtension<HookgateConfiguration> app) {
        return Http.anonymous(baseUrl(app)).basic(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** Creates a tenant as the platform admin; the callback URL is rewritten to the test server's port. */
    public static TestTenant createTenant(DropwizardAppExtension<HookgateConfiguration> app, String name) {
        Http.Reply reply = admin(app).post("/api/v1/tenants", Http.json(Map.of("name", name)));
        if (reply.status() != 201) {
            throw new IllegalStateException("tenant creation failed: " + reply);
        }
        JsonNode body = reply.json();
        return new TestTenant(body.get("id").asLong(), body.get("key").asText(), localCallbackUrl(app, body.get("callbackUrl").asText()));
    }

    /** Creates a user as the platform admin and returns its id; {@code tenantId} only for a tenant_admin. */
    public static long createUser(DropwizardAppExtension<HookgateConfiguration> app, String email, String password, String role, Long tenantId) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("email", email, "password", password, "role", role));
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        Http.Reply reply = admin(app).post("/api/v1/users", Http.json(body));
        if (reply.status() != 201) {
            throw new IllegalStateException("user creation failed: " + reply);
        }
        return reply.json().get("id").asLong();
    }

    /** Switches a destination off or on as a script would: its GET, with {@code enabled} changed, PUT back. */
    public static Http.Reply setDestinationEnabled(Http who, long destination, boolean enabled) {
        ObjectNode settings = (ObjectNode) who.get("/api/v1/destinations/" + destination).json();
        settings.put("enabled", enabled);
        return who.put("/api/v1/destinations/" + destination, settings.toString());
    }

    public static String localCallbackUrl(DropwizardAppExtension<HookgateConfiguration> app, String callbackUrl) {
        return baseUrl(app) + callbackUrl.substring(callbackUrl.indexOf("/hooks/"));
    }

    public record TestTenant(long id, String key, String callbackUrl) {
    }
}
