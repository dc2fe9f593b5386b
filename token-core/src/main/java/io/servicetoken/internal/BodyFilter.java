package io.servicetoken.internal;

/** Rewrites a response body before it is parsed, for vendors whose JSON is not quite JSON. */
public interface BodyFilter {
  /** The body to parse instead of {@code body}. */
  String apply(String body);
}
