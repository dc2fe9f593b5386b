package io.servicetoken.singleview;

import io.servicetoken.internal.Arguments;

/**
 * The JSON body of a SingleView token request: {@code {"clientId", "clientCode", "merchantId", "grantType"}}, all
 * mandatory per the documentation.
 *
 * <pre>{@code
 * SingleViewTokenRequest request =
 *     SingleViewTokenRequest.of("abcdef83643f61c975", clientCode, "jklmno147852qrstuv", "client_Credentials");
 * }</pre>
 *
 * <p>{@link #toString()} never shows the client code.
 */
public final class SingleViewTokenRequest {
  // Field names are the wire names: Moshi's reflective adapter writes them as they are.
  private final String clientId;
  private final String clientCode;
  private final String merchantId;
  private final String grantType;

  private SingleViewTokenRequest(String clientId, String clientCode, String merchantId, String grantType) {
    this.clientId = clientId;
    this.clientCode = clientCode;
    this.merchantId = merchantId;
    this.grantType = grantType;
  }

  /**
   * Creates a request body.
   *
   * @param clientId the "Client ID" SingleView assigned
   * @param clientCode the "Client Code" SingleView assigned: a secret
   * @param merchantId the "Merchant ID"
   * @param grantType the grant type, {@code client_Credentials} in the documentation's sample
   * @return the request
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is blank
   */
  public static SingleViewTokenRequest of(String clientId, String clientCode, String merchantId, String grantType) {
    return new SingleViewTokenRequest(
        Arguments.nonBlank(clientId, "clientId"),
        Arguments.nonBlank(clientCode, "clientCode"),
        Arguments.nonBlank(merchantId, "merchantId"),
        Arguments.nonBlank(grantType, "grantType"));
  }

  /**
   * The {@code clientId} field.
   *
   * @return the client ID
   */
  public String clientId() {
    return clientId;
  }

  /**
   * The {@code clientCode} field: a secret.
   *
   * @return the client code
   */
  public String clientCode() {
    return clientCode;
  }

  /**
   * The {@code merchantId} field.
   *
   * @return the merchant ID
   */
  public String merchantId() {
    return merchantId;
  }

  /**
   * The {@code grantType} field.
   *
   * @return the grant type
   */
  public String grantType() {
    return grantType;
  }

  /**
   * A description safe to log: the client code is masked.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "SingleViewTokenRequest{clientId=" + clientId
        + ", clientCode=██"
        + ", merchantId=" + merchantId
        + ", grantType=" + grantType
        + '}';
  }
}
