package io.hookgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a real server that can turn into a black hole: connections stay open and nothing comes back, as
 * when a database host vanishes or a stateful firewall forgets its connections (no reset, no error, only silence).
 * Once the path heals, new connections work, and the ones caught in the black hole stay silent for good, as a
 * connection whose state a firewall dropped does.
 */
public final class BlackHoleProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;

    public BlackHoleProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "black-hole-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on every byte of the open connections is swallowed; new connections are accepted and hear nothing. */
    public void swallowEverything() {
        blackHole = true;
        for (Relay relay : relays) {
            relay.silenced = true;
        }
    }

    /** New connections work again; those opened before stay silent. */
    public void heal() {
        blackHole = false;
    }

    /** One client connection and its upstream connection. */
    private static final class Relay {
        final Socket client;
        final Socket server;
        volatile boolean silenced;

        Relay(Socket client, Socket server, boolean silenced) {
            this.client = client;
            this.server = server;
            this.silenced = silenced;
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(upstream, 5_000);
                Relay relay = new Relay(client, server, blackHole);
                relays.add(relay);
                pump(relay, client, server);
                pump(relay, server, client);
            } catch (IOException e) {
                // listener closed, or the upstream refused: the client sees its connection drop
            }
        }
    }

    private void pump(Relay relay, Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!relay.silenced) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                relays.remove(relay);
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "black-hole-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Relay relay : relays) {
            closeQuietly(relay.client);
            closeQuietly(relay.server);
        }
    }
}
