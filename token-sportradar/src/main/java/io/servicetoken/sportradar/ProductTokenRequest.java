package io.servicetoken.sportradar;

import io.servicetoken.internal.Arguments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of {@link SportradarApi#productToken(ProductTokenRequest)}:
 *
 * <pre>{@code
 * {"userIdentityToken": "eyJ...", "product": "videostream_manager", "customerId": 345,
 *  "scopes": ["read:organization"]}
 * }</pre>
 *
 * <p>{@code customerId}: the documentation types it as a string, but its own sample request sends the number
 * {@code 345}. A customer id written as a plain decimal number (digits only, no leading zero, at most 15 digits so
 * that every JSON parser holds it exactly) is sent as a JSON number, exactly as the sample does; any other id is sent
 * as a JSON string. {@code scopes} is left out of the JSON entirely when not given, which the documentation says
 * grants every permission available to the user.
 *
 * <p>{@link #toString()} never shows the identity token.
 */
public final class ProductTokenRequest {
  /** Up to this many digits, every JSON parser (JavaScript's doubles included) holds an integer exactly. */
  private static final int MAX_NUMERIC_DIGITS = 15;

  private final String userIdentityToken;
  private final String product;
  /** A {@link Long} (sent as a JSON number) or a {@link String} (sent as a JSON string). */
  private final Object customerId;
  private final @Nullable List<String> scopes;

  private ProductTokenRequest(
      String userIdentityToken, String product, Object customerId, @Nullable List<String> scopes) {
    this.userIdentityToken = userIdentityToken;
    this.product = product;
    this.customerId = customerId;
    this.scopes = scopes;
  }

  /**
   * A request body.
   *
   * @param userIdentityToken the token received on login to the single sign-on system: a secret
   * @param product the product to get a token for, such as {@code videostream_manager}
   * @param customerId the customer id, such as {@code 345}; sent as a JSON number when it is a plain decimal number
   * @param scopes the permission scopes wanted, or null for all available ones (the field is then left out)
   * @return the request
   * @throws NullPointerException if a required argument or a scope is null
   * @throws IllegalArgumentException if a required argument or a scope is blank, or {@code scopes} is empty
   */
  public static ProductTokenRequest create(
      String userIdentityToken, String product, String customerId, @Nullable List<String> scopes) {
    Arguments.nonBlank(userIdentityToken, "userIdentityToken");
    Arguments.nonBlank(product, "product");
    Arguments.nonBlank(customerId, "customerId");
    return new ProductTokenRequest(userIdentityToken, product, wireCustomerId(customerId), copyScopes(scopes));
  }

  /**
   * The identity token sent: a secret.
   *
   * @return the user identity token
   */
  public String userIdentityToken() {
    return userIdentityToken;
  }

  /**
   * The product.
   *
   * @return the product name
   */
  public String product() {
    return product;
  }

  /**
   * The customer id as given (whether it travels as a JSON number or string).
   *
   * @return the customer id
   */
  public String customerId() {
    return customerId.toString();
  }

  /**
   * Whether {@link #customerId()} travels as a JSON number rather than a JSON string.
   *
   * @return true for a JSON number
   */
  public boolean customerIdIsNumeric() {
    return customerId instanceof Long;
  }

  /**
   * The scopes asked for, or null when the field is left out (all available permissions).
   *
   * @return an unmodifiable list, or null
   */
  public @Nullable List<String> scopes() {
    return scopes;
  }

  /** Describes the request without the identity token. */
  @Override
  public String toString() {
    return "ProductTokenRequest{product=" + product + ", customerId=" + customerId + ", scopes=" + scopes + '}';
  }

  static @Nullable List<String> copyScopes(@Nullable List<String> scopes) {
    if (scopes == null) return null;
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("scopes is empty: leave scopes unset to ask for every available permission");
    }
    List<String> copy = new ArrayList<>(scopes.size());
    for (String scope : scopes) {
      copy.add(Arguments.nonBlank(scope, "scope"));
    }
    return Collections.unmodifiableList(copy);
  }

  /** The id as a {@link Long} when it is a plain decimal number that every JSON parser holds exactly. */
  static Object wireCustomerId(String customerId) {
    Objects.requireNonNull(customerId, "customerId == null");
    int length = customerId.length();
    if (length == 0 || length > MAX_NUMERIC_DIGITS) return customerId;
    if (length > 1 && customerId.charAt(0) == '0') return customerId;
    for (int i = 0; i < length; i++) {
      char c = customerId.charAt(i);
      if (c < '0' || c > '9') return customerId;
    }
    return Long.parseLong(customerId);
  }
}
