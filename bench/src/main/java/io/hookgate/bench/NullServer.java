package io.hookgate.bench;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP ceiling: a Jetty 12 server (the same Jetty version as the service) that reads the whole
 * body of any POST and answers {@code 200 {}}, and does nothing else: no routing, no parsing, no
 * signature check, no database. The ingest generator run against it measures what the HTTP stack
 * (client, loopback, Jetty) alone costs at a given concurrency on this machine.
 *
 * <pre>java -cp bench/target/hookgate-bench.jar io.hookgate.bench.NullServer [port [port-file]]</pre>
 *
 * Port 0 (the default) takes any free port; the port is printed on stdout and, if a port file is
 * given, written to it once the server accepts connections. The thread pool is sized like
 * Dropwizard's default ({@code maxThreads} 1024, {@code minThreads} 8). Stops on SIGTERM.
 */
public final class NullServer {

    private static final byte[] OK = "{}".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Path portFile = args.length > 1 ? Path.of(args[1]) : null;

        QueuedThreadPool pool = new QueuedThreadPool(1024, 8);
        pool.setName("null-server");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);

        AtomicLong posts = new AtomicLong();
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!HttpMethod.POST.is(request.getMethod())) {
                    Response.writeError(request, response, callback, 405);
                    return true;
                }
                // Read (and discard) the whole body, as the service does, then answer.
                Content.Source.consumeAll(request, Callback.from(() -> {
                    posts.incrementAndGet();
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, OK.length);
                    response.write(true, ByteBuffer.wrap(OK), callback);
                }, callback::failed));
                return true;
            }
        });
        server.setStopAtShutdown(true);
        server.start();
        int actual = connector.getLocalPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.err.printf("null server: %d POSTs answered%n", posts.get())));
        System.out.println(actual);
        System.out.flush();
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, actual + "\n");
            Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.err.println("null server listening on 127.0.0.1:" + actual);
        server.join();
    }
}
