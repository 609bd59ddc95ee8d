package io.hookgate.support;

/** A typed database identifier; storage binds it as its long value. */
public interface LongId {
    long value();
}
