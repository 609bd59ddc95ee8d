package io.hookgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Minimal blocking HTTP/1.1 client over a plain socket: the cheapest way to generate load. Each
 * calling thread has its own keep-alive connection (workers call post() serially), the request is
 * sent with one write (head pre-encoded once, body appended in a reused per-thread buffer) and the
 * answer is parsed from a per-thread read buffer: Content-Length, chunked or until close.
 * A failed exchange closes that thread's connection and is reported, never retried: a retried POST
 * could be stored twice.
 */
final class SocketTransport implements Transport {

    /** Below Jetty's default 30 s idle timeout: an older idle connection may be closed under us. */
    private static final long MAX_IDLE_NS = 15_000_000_000L;

    private final InetSocketAddress address;
    private final int timeoutMs;
    private final byte[] head; // request line and fixed headers, up to "Content-Length: "
    private final ThreadLocal<Conn> conns = ThreadLocal.withInitial(Conn::new);
    private final Set<Conn> all = ConcurrentHashMap.newKeySet();

    SocketTransport(URI uri, Duration timeout) {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("--client socket supports http:// only, got " + uri);
        }
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        this.address = new InetSocketAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
        this.timeoutMs = (int) timeout.toMillis();
        // The same User-Agent and Accept as HttpURLConnection: the service stores User-Agent with each event.
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + (uri.getPort() < 0 ? "" : ":" + port)
                + "\r\nUser-Agent: Java/" + System.getProperty("java.version")
                + "\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Result post(byte[] body) throws IOException {
        Conn c = conns.get();
        try {
            return c.exchange(body);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e instanceof IOException io ? io : new IOException("bad HTTP answer: " + e, e);
        }
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public void close() {
        all.forEach(Conn::close);
    }

    /** One thread's connection and buffers. */
    private final class Conn {
        Socket socket;
        InputStream in;
        OutputStream out;
        long lastUseNs;
        byte[] req = new byte[16384];
        final byte[] line = new byte[8192];
        // own read buffer: BufferedInputStream.read() is synchronized, and the head is read byte by byte
        final byte[] rbuf = new byte[16384];
        int rpos, rlen;

        Result exchange(byte[] body) throws IOException {
            long now = System.nanoTime();
            if (socket != null && now - lastUseNs > MAX_IDLE_NS) {
                close();
            }
            if (socket == null) {
                open();
            }
            // head + length + CRLFCRLF + body, one write
            String len = Integer.toString(body.length);
            int n = head.length + len.length() + 4 + body.length;
            if (req.length < n) {
                req = new byte[Math.max(n, req.length * 2)];
            }
            System.arraycopy(head, 0, req, 0, head.length);
            int p = head.length;
            for (int i = 0; i < len.length(); i++) {
                req[p++] = (byte) len.charAt(i);
            }
            req[p++] = '\r';
            req[p++] = '\n';
            req[p++] = '\r';
            req[p++] = '\n';
            System.arraycopy(body, 0, req, p, body.length);
            out.write(req, 0, n);

            int status;
            long length;
            boolean chunked, close;
            do { // skip interim 1xx answers
                int l = readLine();
                if (l < 12 || !startsWith(l, "http/1.")) {
                    throw new IOException("bad status line: " + new String(line, 0, l, StandardCharsets.ISO_8859_1));
                }
                status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
                if (status < 100 || status > 599 || line[10] < '0' || line[10] > '9' || line[11] < '0' || line[11] > '9') {
                    throw new IOException("bad status line: " + new String(line, 0, l, StandardCharsets.ISO_8859_1));
                }
                close = line[7] == '0'; // HTTP/1.0: no keep-alive (we send no Connection: keep-alive)
                length = -1;
                chunked = false;
                while ((l = readLine()) > 0) {
                    if (startsWith(l, "content-length:")) {
                        length = Long.parseLong(value(l, 15));
                    } else if (startsWith(l, "transfer-encoding:")) {
                        chunked = value(l, 18).toLowerCase(Locale.ROOT).endsWith("chunked");
                    } else if (startsWith(l, "connection:")) {
                        close |= value(l, 11).toLowerCase(Locale.ROOT).contains("close");
                    }
                }
            } while (status >= 100 && status < 200);

            ByteArrayOutputStream keep = status == 200 ? null : new ByteArrayOutputStream();
            if (chunked) { // chunked wins over Content-Length (RFC 9112 6.3)
                long size;
                while ((size = Long.parseLong(value(readLine(), 0).split(";", 2)[0].trim(), 16)) > 0) {
                    body(size, keep);
                    if (readLine() != 0) {
                        throw new IOException("no CRLF after a chunk");
                    }
                }
                while (readLine() > 0) {
                    // trailers: ignored
                }
            } else if (length >= 0) {
                body(length, keep);
            } else if (status != 204 && status != 304) {
                body(Long.MAX_VALUE, keep); // delimited by the server closing the connection
                close = true;
            }
            lastUseNs = now;
            if (close || rpos != rlen) { // bytes after the answer: out of step, start afresh
                close();
            }
            return keep == null ? Result.OK : new Result(status, Transport.snippet(keep.toByteArray()));
        }

        void open() throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true); // the tail of a request larger than a segment must not wait for an ACK
                s.connect(address, 10_000);
                s.setSoTimeout(timeoutMs);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
            rpos = rlen = 0;
            all.add(this);
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
                all.remove(this);
            }
        }

        /** Reads {@code n} body bytes (to EOF if n is Long.MAX_VALUE), kept only for error answers. */
        private void body(long n, ByteArrayOutputStream keep) throws IOException {
            while (n > 0) {
                if (rpos == rlen && !fill()) {
                    if (n == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("connection closed in the body");
                }
                int r = (int) Math.min(n, rlen - rpos);
                if (keep != null) {
                    keep.write(rbuf, rpos, r);
                }
                rpos += r;
                n -= n == Long.MAX_VALUE ? 0 : r;
            }
        }

        /** Refills the empty read buffer; false at EOF. */
        private boolean fill() throws IOException {
            int r = in.read(rbuf, 0, rbuf.length);
            rpos = 0;
            rlen = Math.max(r, 0);
            return r > 0;
        }

        /** One header line into {@link #line} without its CRLF; its length. */
        private int readLine() throws IOException {
            int n = 0;
            for (byte b; ; ) {
                if (rpos == rlen && !fill()) {
                    throw new EOFException(n == 0 ? "connection closed by the server" : "connection closed in the head");
                }
                if ((b = rbuf[rpos++]) == '\n') {
                    break;
                }
                if (n == line.length) {
                    throw new IOException("header line longer than " + line.length + " bytes");
                }
                line[n++] = b;
            }
            return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
        }

        /** Case-insensitive: does the line start with {@code lower} (given in lower case)? */
        private boolean startsWith(int l, String lower) {
            if (l < lower.length()) {
                return false;
            }
            for (int i = 0; i < lower.length(); i++) {
                if (Character.toLowerCase((char) line[i]) != lower.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String value(int l, int from) {
            return new String(line, from, l - from, StandardCharsets.ISO_8859_1).trim();
        }
    }
}
