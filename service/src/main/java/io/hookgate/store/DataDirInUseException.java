package io.hookgate.store;

import io.hookgate.support.OperatorMistake;

/** Another Hookgate runs the embedded PostgreSQL of this data dir: an operator's mistake, not a failure of ours. */
public final class DataDirInUseException extends OperatorMistake {

    public DataDirInUseException(String message) {
        super(message);
    }
}
