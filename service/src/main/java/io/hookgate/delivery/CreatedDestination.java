package io.hookgate.delivery;

/** A destination and its signing secret in clear. */
public record CreatedDestination(Destination destination, String signingSecret) {
}
