package io.hookgate.store;

/** Another Hookgate runs the embedded PostgreSQL of this data dir: an operator's mistake, not a failure of ours. */
public final class DataDirInUseException extends IllegalStateException {

    public DataDirInUseException(String message) {
        super(message);
    }
}
