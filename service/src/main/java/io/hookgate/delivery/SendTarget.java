package io.hookgate.delivery;

import java.util.List;

/** A destination as the worker needs it: settings and the signing secrets to sign with, in clear. */
record SendTarget(Destination destination, List<String> secrets, boolean deleted) {
}
