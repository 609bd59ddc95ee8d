package io.hookgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Blocking POST of a JSON body; one instance shared by all workers. */
interface Transport extends AutoCloseable {

    /** Result of one exchange. {@code body} is only filled for non-200 answers (for error reports). */
    record Result(int status, String body) {
        static final Result OK = new Result(200, null);

        /** No HTTP answer at all (refused, reset, timed out): status -1, body the exception. */
        boolean ioFailure() {
            return status < 0;
        }

        /** "HTTP 503: …" or "I/O error: …", for error samples. */
        String describe() {
            return (ioFailure() ? "I/O error" : "HTTP " + status) + ": " + body;
        }
    }

    Result post(byte[] body) throws IOException, InterruptedException;

    /** {@link #post}, with a failed exchange reported as a {@link Result} rather than thrown. */
    default Result send(byte[] body) throws InterruptedException {
        try {
            return post(body);
        } catch (IOException | RuntimeException e) {
            return new Result(-1, e.toString());
        }
    }

    String name();

    @Override
    void close();

    static Transport create(String kind, URI uri, int concurrency, Duration timeout) throws IOException {
        switch (kind) {
            case "jdk":
            case "httpclient":
                return new JdkHttpClientTransport(uri, concurrency, timeout);
            case "urlconnection":
            case "url":
                return new UrlConnectionTransport(uri, timeout);
            case "socket":
                return new SocketTransport(uri, timeout);
            default:
                throw new IllegalArgumentException("unknown --client " + kind + " (socket | urlconnection | jdk)");
        }
    }

    static String snippet(byte[] b) {
        if (b == null) {
            return "";
        }
        String s = new String(b, 0, Math.min(b.length, 300), StandardCharsets.UTF_8);
        return b.length > 300 ? s + "..." : s;
    }

    /** java.net.http.HttpClient, HTTP/1.1 forced, one client, executor sized to concurrency. */
    final class JdkHttpClientTransport implements Transport {
        private final HttpClient client;
        private final ExecutorService executor;
        private final URI uri;
        private final Duration timeout;

        JdkHttpClientTransport(URI uri, int concurrency, Duration timeout) {
            AtomicInteger n = new AtomicInteger();
            this.executor = Executors.newFixedThreadPool(Math.max(2, concurrency), r -> {
                Thread t = new Thread(r, "httpclient-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
            this.uri = uri;
            this.timeout = timeout;
        }

        @Override
        public Result post(byte[] body) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            int status = resp.statusCode();
            return status == 200 ? Result.OK : new Result(status, snippet(resp.body()));
        }

        @Override
        public String name() {
            return "jdk";
        }

        @Override
        public void close() {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * HttpURLConnection with keep-alive. The JVM-wide keep-alive cache must be able to hold one idle
     * connection per worker: {@code http.maxConnections} is set in {@link IngestBench#main} before
     * any connection is opened. POST retries are disabled ({@code sun.net.http.retryPost=false}).
     */
    final class UrlConnectionTransport implements Transport {
        private final URL url;
        private final int timeoutMs;
        private final ThreadLocal<byte[]> buf = ThreadLocal.withInitial(() -> new byte[8192]);

        UrlConnectionTransport(URI uri, Duration timeout) throws IOException {
            this.url = uri.toURL();
            this.timeoutMs = (int) timeout.toMillis();
        }

        @Override
        public Result post(byte[] body) throws IOException {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(10_000);
            c.setReadTimeout(timeoutMs);
            c.setFixedLengthStreamingMode(body.length);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                return status == 200 ? Result.OK : new Result(status, "");
            }
            // Drain fully and close (not disconnect) so the socket returns to the keep-alive cache.
            try (in) {
                if (status == 200) {
                    byte[] b = buf.get();
                    while (in.read(b) >= 0) {
                        // discard
                    }
                    return Result.OK;
                }
                return new Result(status, snippet(in.readAllBytes()));
            }
        }

        @Override
        public String name() {
            return "urlconnection";
        }

        @Override
        public void close() {
        }
    }
}
