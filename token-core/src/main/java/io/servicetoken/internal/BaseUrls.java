package io.servicetoken.internal;

import java.util.Objects;
import okhttp3.HttpUrl;

/** Validates the base URL a token source is built with: HTTPS only, unless loopback or explicitly allowed. */
public final class BaseUrls {
  private BaseUrls() {}

  /**
   * Parses and checks {@code baseUrl}; the result ends in {@code /} as Retrofit requires.
   *
   * @throws NullPointerException if {@code baseUrl} is null
   * @throws IllegalArgumentException naming the problem (never the URL, which may carry credentials)
   */
  public static HttpUrl parse(String baseUrl, boolean allowInsecureHttp) {
    Objects.requireNonNull(baseUrl, "baseUrl == null");
    HttpUrl url = HttpUrl.parse(baseUrl.trim());
    if (url == null) {
      throw new IllegalArgumentException("baseUrl is not an http or https URL");
    }
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      throw new IllegalArgumentException("baseUrl must not contain user info: pass credentials to the builder");
    }
    if (url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException("baseUrl must not have a query or fragment");
    }
    if (!url.isHttps() && !allowInsecureHttp && !isLoopback(url.host())) {
      throw new IllegalArgumentException(
          "baseUrl must use https: plain http is allowed only for loopback hosts or after allowInsecureHttp() "
              + "(host " + url.host() + ")");
    }
    if (!url.encodedPath().endsWith("/")) {
      url = url.newBuilder().addPathSegment("").build();
    }
    return url;
  }

  /** {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}, decided from the name alone (no DNS). */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) return true;
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) return false;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3) return false;
      for (int i = 0; i < part.length(); i++) {
        if (part.charAt(i) < '0' || part.charAt(i) > '9') return false;
      }
      if (Integer.parseInt(part) > 255) return false;
    }
    return true;
  }
}
