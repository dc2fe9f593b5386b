package io.servicetoken.sportradar;

import org.jspecify.annotations.Nullable;

/**
 * The JSON body Sportradar answers a successful token request with:
 *
 * <pre>{@code
 * {"data": {"token": "eyJ...", "tokenType": "bearer", "expiresIn": 3600},
 *  "meta": {"code": 200, "codeVersion": "d6cd1e2...", "generationTime": 0.011604,
 *           "time": "2018-06-05 23:43:41.227584", "version": 1}}
 * }</pre>
 *
 * <p>Every field may be absent; unknown fields are ignored.
 */
public final class ProductTokenResponse {
  private @Nullable Data data;
  private @Nullable Meta meta;

  private ProductTokenResponse() {}

  /**
   * The token and its lifetime.
   *
   * @return the {@code data} object, or null when absent
   */
  public @Nullable Data data() {
    return data;
  }

  /**
   * Facts about the answer itself.
   *
   * @return the {@code meta} object, or null when absent
   */
  public @Nullable Meta meta() {
    return meta;
  }

  /** Describes the response without the token. */
  @Override
  public String toString() {
    return "ProductTokenResponse{data=" + data + ", meta=" + meta + '}';
  }

  /** The {@code data} object: the product token. */
  public static final class Data {
    private @Nullable String token;
    private @Nullable String tokenType;
    private @Nullable Long expiresIn;

    private Data() {}

    /**
     * The product token: a secret.
     *
     * @return {@code token}, or null when absent
     */
    public @Nullable String token() {
      return token;
    }

    /**
     * The token type, {@code "bearer"} in the documentation's sample.
     *
     * @return {@code tokenType}, or null when absent
     */
    public @Nullable String tokenType() {
      return tokenType;
    }

    /**
     * The token's lifetime in seconds, counted from when the response is received.
     *
     * @return {@code expiresIn}, or null when absent
     */
    public @Nullable Long expiresIn() {
      return expiresIn;
    }

    /** Describes the data without the token. */
    @Override
    public String toString() {
      return "Data{token=" + (token == null ? "null" : "██") + ", tokenType=" + tokenType
          + ", expiresIn=" + expiresIn + '}';
    }
  }

  /**
   * The {@code meta} object. {@code code} and {@code version} are numbers in the documentation's sample; they are
   * read as text so that a number or a string both parse.
   */
  public static final class Meta {
    private @Nullable String code;
    private @Nullable String codeVersion;
    private @Nullable Double generationTime;
    private @Nullable String time;
    private @Nullable String version;

    private Meta() {}

    /**
     * The status code of the answer, such as {@code "200"}.
     *
     * @return {@code code} as text, or null when absent
     */
    public @Nullable String code() {
      return code;
    }

    /**
     * The version of the server code that answered.
     *
     * @return {@code codeVersion}, or null when absent
     */
    public @Nullable String codeVersion() {
      return codeVersion;
    }

    /**
     * How long the server took to answer, in seconds.
     *
     * @return {@code generationTime}, or null when absent
     */
    public @Nullable Double generationTime() {
      return generationTime;
    }

    /**
     * When the server answered, as it printed it (for example {@code "2018-06-05 23:43:41.227584"}, no zone).
     *
     * @return {@code time}, or null when absent
     */
    public @Nullable String time() {
      return time;
    }

    /**
     * The API version, such as {@code "1"}.
     *
     * @return {@code version} as text, or null when absent
     */
    public @Nullable String version() {
      return version;
    }

    @Override
    public String toString() {
      return "Meta{code=" + code + ", codeVersion=" + codeVersion + ", generationTime=" + generationTime
          + ", time=" + time + ", version=" + version + '}';
    }
  }
}
