package io.servicetoken.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds unsigned-looking JWTs for tests. */
final class Jwts {
  private Jwts() {}

  static String jwt(String payloadJson) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + encoder.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }
}
