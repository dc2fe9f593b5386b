package io.servicetoken.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Eager validation for builders, in one message style: {@code "name == null"}, {@code "name is blank"}. */
public final class Arguments {
  private Arguments() {}

  /** {@code value} when it is not null and not blank; the exception names {@code name}, never the value. */
  public static String nonBlank(@Nullable String value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.trim().isEmpty()) throw new IllegalArgumentException(name + " is blank");
    return value;
  }

  /** {@code value} when it is set; otherwise {@code IllegalStateException("name required")}, as build() reports. */
  public static <T> T required(@Nullable T value, String name) {
    if (value == null) throw new IllegalStateException(name + " required");
    return value;
  }
}
