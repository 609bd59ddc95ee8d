package io.hookgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver that resets the TCP connection (RST, no HTTP answer) of its first {@code resets} requests and answers
 * 200 {@code {}} to the later ones. The JDK's HttpServer cannot reset a connection, hence a raw socket.
 */
public final class ResettingReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final int resets;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> webhookIds = new CopyOnWriteArrayList<>();

    private ResettingReceiver(ServerSocket server, int resets) {
        this.server = server;
        this.resets = resets;
    }

    public static ResettingReceiver start(int resets) {
        try {
            ResettingReceiver receiver = new ResettingReceiver(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), resets);
            Thread acceptor = new Thread(receiver::acceptLoop, "resetting-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/webhooks";
    }

    /** The webhook-id header of every request read, answered or reset. */
    public List<String> webhookIds() {
        return List.copyOf(webhookIds);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> handle(socket), "resetting-receiver-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = 0;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
                } else if (lower.startsWith("webhook-id:")) {
                    webhookIds.add(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            in.readNBytes(length);
            if (requests.incrementAndGet() <= resets) {
                socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the sender gave up on this connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
