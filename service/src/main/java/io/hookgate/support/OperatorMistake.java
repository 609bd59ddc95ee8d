package io.hookgate.support;

/**
 * A start refused for the operator to fix (a missing or wrong master key, a data dir in use, a malformed setting):
 * told in its message's one sentence, without a stack trace, which would read as a failure of ours.
 */
public class OperatorMistake extends IllegalStateException {

    public OperatorMistake(String message) {
        super(message);
    }
}
