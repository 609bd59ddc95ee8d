package io.hookgate.retention;

/** A recorded pass with the state it is in now: completed, failed, running or interrupted. */
public record RetentionPassView(RetentionPass pass, String state) {
}
