package io.servicetoken.vyopta;

import com.squareup.moshi.Json;
import org.jspecify.annotations.Nullable;

/**
 * Vyopta's successful token response, an OpenID Connect token response:
 *
 * <pre>{@code
 * { "access_token":"eyJhb...", "expires_in":300, "refresh_expires_in":1800, "refresh_token":"eyJ...",
 *   "token_type":"bearer", "not-before-policy":1533920635, "session_state":"dad914da-...", "scope":"email profile" }
 * }</pre>
 *
 * <p>Every field may be absent; unknown fields are ignored. The policy field is read under both spellings, the
 * {@code not-before-policy} that Keycloak sends and the {@code not_before_policy} of Vyopta's schema.
 *
 * <p>{@link #toString()} shows neither the access token, the refresh token, the ID token nor the session.
 */
public final class VyoptaTokenResponse {
  @Json(name = "access_token")
  private @Nullable String accessToken;

  @Json(name = "expires_in")
  private @Nullable Long expiresIn;

  @Json(name = "refresh_expires_in")
  private @Nullable Long refreshExpiresIn;

  @Json(name = "refresh_token")
  private @Nullable String refreshToken;

  @Json(name = "token_type")
  private @Nullable String tokenType;

  @Json(name = "id_token")
  private @Nullable String idToken;

  @Json(name = "not-before-policy")
  private @Nullable Long notBeforePolicy;

  @Json(name = "not_before_policy")
  private @Nullable Long notBeforePolicyAsDocumented;

  @Json(name = "session_state")
  private @Nullable String sessionState;

  private @Nullable String scope;

  private VyoptaTokenResponse() {}

  /**
   * The access token (a JWT beginning {@code eyJh}): a secret.
   *
   * @return the token, or null when absent
   */
  public @Nullable String accessToken() {
    return accessToken;
  }

  /**
   * The access token's lifetime in seconds, counted from reception (Vyopta: 300).
   *
   * @return the lifetime, or null when absent
   */
  public @Nullable Long expiresIn() {
    return expiresIn;
  }

  /**
   * The refresh token's lifetime in seconds. Vyopta documents refreshing as not implemented.
   *
   * @return the lifetime, or null when absent
   */
  public @Nullable Long refreshExpiresIn() {
    return refreshExpiresIn;
  }

  /**
   * The refresh token: a secret. The SDK does not use it (Vyopta documents refreshing as not implemented) and
   * authenticates again instead.
   *
   * @return the refresh token, or null when absent
   */
  public @Nullable String refreshToken() {
    return refreshToken;
  }

  /**
   * The token type, {@code "bearer"} as Vyopta sends it.
   *
   * @return the type, or null when absent
   */
  public @Nullable String tokenType() {
    return tokenType;
  }

  /**
   * The OpenID Connect ID token, which Keycloak adds when the {@code openid} scope was requested: a secret.
   *
   * @return the ID token, or null when absent
   */
  public @Nullable String idToken() {
    return idToken;
  }

  /**
   * The start of the signing key's validity ({@code not-before-policy}, or {@code not_before_policy} as Vyopta's
   * schema spells it), in UNIX seconds.
   *
   * @return the policy time, or null when absent
   */
  public @Nullable Long notBeforePolicy() {
    return notBeforePolicy != null ? notBeforePolicy : notBeforePolicyAsDocumented;
  }

  /**
   * Keycloak's session identifier.
   *
   * @return the session state, or null when absent
   */
  public @Nullable String sessionState() {
    return sessionState;
  }

  /**
   * The scopes the token was issued for, such as {@code "email profile"}.
   *
   * @return the scope, or null when absent
   */
  public @Nullable String scope() {
    return scope;
  }

  /**
   * The non-secret fields; tokens and session are shown only as present or absent.
   *
   * @return a description without any secret
   */
  @Override
  public String toString() {
    return "VyoptaTokenResponse{accessToken=" + presence(accessToken)
        + ", expiresIn=" + expiresIn
        + ", refreshExpiresIn=" + refreshExpiresIn
        + ", refreshToken=" + presence(refreshToken)
        + ", tokenType=" + tokenType
        + ", idToken=" + presence(idToken)
        + ", notBeforePolicy=" + notBeforePolicy()
        + ", sessionState=" + presence(sessionState)
        + ", scope=" + scope
        + "}";
  }

  private static String presence(@Nullable String value) {
    return value == null ? "null" : "██";
  }
}
