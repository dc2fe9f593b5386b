package io.servicetoken.viveport;

import com.squareup.moshi.Json;
import io.servicetoken.internal.Redaction;
import org.jspecify.annotations.Nullable;

/**
 * The body of a successful VIVEPORT service token response:
 *
 * <pre>{@code
 * {
 * "serviceToken":
 * "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJleHAiOjE1MjUzMzQ2NzcsImlhdCI6MTUyNTMzMTA3NywiZHVyYXRpb24iOjM2MDB9.Hsdx...",
 * "expire": 1525334677
 * }
 * }</pre>
 *
 * <p>Both fields are nullable so that an incomplete answer is reported as a {@link
 * io.servicetoken.MalformedTokenResponseException} rather than failing inside the JSON parser; unknown fields are
 * ignored.
 */
public final class ViveportServiceToken {
  @Json(name = "serviceToken")
  private @Nullable String serviceToken;

  @Json(name = "expire")
  private @Nullable Long expire;

  private ViveportServiceToken() {}

  /**
   * The service token (in practice a JWT). A secret: do not log it.
   *
   * @return the token, or null when the response had none
   */
  public @Nullable String serviceToken() {
    return serviceToken;
  }

  /**
   * When the token expires, in UNIX seconds on VIVEPORT's clock (not this device's).
   *
   * @return the expiry in seconds since the epoch, or null when the response had none
   */
  public @Nullable Long expire() {
    return expire;
  }

  /**
   * A description without the token: at most its first five characters, as {@code Token.toString()} shows.
   *
   * @return for example {@code ViveportServiceToken{serviceToken=eyJ0e…, expire=1525334677}}
   */
  @Override
  public String toString() {
    String shown = serviceToken == null ? "null" : Redaction.tokenPrefix(serviceToken);
    return "ViveportServiceToken{serviceToken=" + shown + ", expire=" + expire + '}';
  }
}
