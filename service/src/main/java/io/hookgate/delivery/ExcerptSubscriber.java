package io.hookgate.delivery;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Keeps the first bytes of a response body for the attempt log and discards the rest, however large. */
final class ExcerptSubscriber implements HttpResponse.BodySubscriber<String> {

    static final int LIMIT = 4096;

    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer buffer : items) {
            int room = LIMIT - kept.size();
            if (room > 0) {
                byte[] chunk = new byte[Math.min(room, buffer.remaining())];
                buffer.get(chunk);
                kept.write(chunk, 0, chunk.length);
            }
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        // a NUL (binary bodies have them) cannot go into a PostgreSQL text column: the attempt would not be recorded
        result.complete(kept.toString(StandardCharsets.UTF_8).replace('\0', '\uFFFD'));
    }
}
