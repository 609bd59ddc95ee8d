package io.hookgate.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a child process, as an operator runs it; it can be killed with SIGKILL. */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "hookgate.jar").toAbsolutePath();

    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;

    private ServiceProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /**
     * The environment of a service on a fresh database with its own data dir, a fixed master key, and receivers on
     * this machine allowed; {@code more} adds to it.
     */
    public static Map<String, String> freshEnvironment(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
            "DATABASE_URL", TestDatabase.fresh(),
            "HOOKGATE_MASTER_KEY", HookgateTestApp.MASTER_KEY,
            "HOOKGATE_ALLOW_PRIVATE_DESTINATIONS", "true",
            "HOOKGATE_DATA_DIR", HookgateTestApp.tempDir().toString()));
        env.putAll(more);
        return env;
    }

    /** Starts {@code java -jar target/hookgate.jar server ../config.yml} with {@code env} and waits until healthy. */
    public static ServiceProcess start(Map<String, String> env) throws IOException, InterruptedException {
        return start(HookgateTestApp.CONFIG, env);
    }

    /** As {@link #start(Map)}, with another configuration file. */
    public static ServiceProcess start(Path config, Map<String, String> env) throws IOException, InterruptedException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `package`");
        }
        int port = freePort();
        int adminPort = freePort();
        Path log = Files.createTempFile("hookgate-process", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-jar", JAR.toString(), "server", config.toString());
        builder.environment().put("HOOKGATE_HTTP_PORT", String.valueOf(port));
        builder.environment().put("HOOKGATE_ADMIN_PORT", String.valueOf(adminPort));
        builder.environment().put("HOOKGATE_ADMIN_EMAIL", HookgateTestApp.ADMIN_EMAIL);
        builder.environment().put("HOOKGATE_ADMIN_PASSWORD", HookgateTestApp.ADMIN_PASSWORD);
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        ServiceProcess service = new ServiceProcess(builder.start(), port, adminPort, log);
        service.awaitHealthy(Duration.ofSeconds(120));
        return service;
    }

    /** What a command that runs to its end printed, and its exit status. */
    public record Finished(int exitStatus, String output) {
    }

    /** Runs {@code java -jar target/hookgate.jar <arguments> ../config.yml} with {@code env} to its end (2 minutes at most). */
    public static Finished command(Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-jar", JAR.toString()));
        line.addAll(List.of(arguments));
        line.add(HookgateTestApp.CONFIG.toString());
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(env);
        Path log = Files.createTempFile("hookgate-command", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", arguments) + " did not end within 2 minutes:\n" + Files.readString(log));
        }
        return new Finished(process.exitValue(), Files.readString(log));
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Http admin() {
        return Http.anonymous(baseUrl()).basic(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        process.waitFor();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException, IOException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + adminPort + "/healthcheck")).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service was not healthy within " + timeout + ":\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
