package io.hookgate.store;

/** Storing is not possible right now (too much is waiting, or the service is stopping): answer 503, the sender retries. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }
}
