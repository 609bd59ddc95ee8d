package io.hookgate.delivery;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.function.Predicate;

/** What the attempt log stores of an attempt that got no answer: the kind of failure, and a short description. */
final class AttemptErrors {

    private AttemptErrors() {
    }

    /** One of the kinds {@link AttemptResult} lists; the UI, the API and the tests rely on them. */
    static String kind(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof GuardedDnsResolver.Refused) {
                return "blocked_address";
            }
            if (t instanceof ConnectTimeoutException) {
                return "connect_timeout";
            }
            if (t instanceof SocketTimeoutException) {
                return "timeout"; // the client's response timeout; a whole attempt's timeout is reported by its deadline
            }
            if (t instanceof ConnectException) {
                return "connection_refused";
            }
            if (t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof UnknownHostException) {
                return "dns";
            }
        }
        if (inChain(cause, t -> String.valueOf(t.getMessage()).contains("Connection reset"))) {
            return "connection_reset";
        }
        if (inChain(cause, t -> t instanceof ConnectionClosedException || t instanceof EOFException)) {
            return "connection_closed"; // closed before a complete answer
        }
        return "io";
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        String text = cause instanceof GuardedDnsResolver.Refused ? message // the guard's reason, as when a destination is saved
            : cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private static boolean inChain(Throwable cause, Predicate<Throwable> test) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
