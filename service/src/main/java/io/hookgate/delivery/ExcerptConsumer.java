package io.hookgate.delivery;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a receiver's answer for the attempt log: its status, its Retry-After, and the first bytes of its body; the
 * rest of the body is read and discarded, however large. The content type is never parsed: an odd one from a
 * receiver must not turn its answer into a failed attempt.
 */
final class ExcerptConsumer implements AsyncResponseConsumer<ExcerptConsumer.Reply> {

    static final int LIMIT = 4096;

    /** What the attempt log keeps of an answer. {@code retryAfter} is the header as sent, if any. */
    record Reply(int status, String excerpt, String retryAfter) {
    }

    private final byte[] kept = new byte[LIMIT];
    private int size;
    private int status;
    private String retryAfter;
    private FutureCallback<Reply> result;

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<Reply> result) {
        status = response.getCode();
        Header header = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
        retryAfter = header == null ? null : header.getValue();
        if (entity == null) {
            result.completed(reply());
        } else {
            this.result = result;
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // a 1xx before the answer: nothing to keep
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws java.io.IOException {
        channel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) {
        int take = Math.min(LIMIT - size, src.remaining());
        src.get(kept, size, take);
        size += take;
        src.position(src.limit());
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        result.completed(reply());
    }

    @Override
    public void failed(Exception cause) {
        // the sender's callback hears of it
    }

    @Override
    public void releaseResources() {
        // nothing held beyond this object
    }

    private Reply reply() {
        // a NUL (binary bodies have them) cannot go into a PostgreSQL text column: the attempt would not be recorded
        return new Reply(status, new String(kept, 0, size, StandardCharsets.UTF_8).replace('\0', '\uFFFD'), retryAfter);
    }
}
