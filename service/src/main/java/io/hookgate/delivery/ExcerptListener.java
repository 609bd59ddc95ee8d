package io.hookgate.delivery;

import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first bytes of a response body for the attempt log and discards the rest, however large; on completion
 * hands over the response (null if none came whole) with its excerpt, or the failure.
 */
final class ExcerptListener implements Response.Listener {

    static final int LIMIT = 4096;

    /** Receives the complete response and its excerpt, or (null, null) and the failure. */
    interface Completion {
        void complete(Response response, String excerpt, Throwable failure);
    }

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Completion completion;

    ExcerptListener(Completion completion) {
        this.completion = completion;
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        int room = LIMIT - kept.size();
        if (room > 0) {
            byte[] chunk = new byte[Math.min(room, content.remaining())];
            content.get(chunk);
            kept.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onComplete(Result result) {
        // a response that came whole counts even if sending the body failed (a receiver may answer early and close)
        if (result.getResponseFailure() == null && result.getResponse().getStatus() > 0) {
            // a NUL (binary bodies have them) cannot go into a PostgreSQL text column: the attempt would not be recorded
            completion.complete(result.getResponse(), kept.toString(StandardCharsets.UTF_8).replace('\0', '\uFFFD'), null);
        } else {
            completion.complete(null, null, result.getFailure());
        }
    }
}
