package io.servicetoken.sportradar;

import io.reactivex.rxjava3.core.Single;
import retrofit2.Response;
import retrofit2.http.Body;
import retrofit2.http.Headers;
import retrofit2.http.POST;

/**
 * The Sportradar (Synergy) token endpoint, as its documentation describes it: {@code POST v1/products/token} with a
 * JSON body, relative to the base URL (by default {@code https://token.connect.sportradar.com/}).
 *
 * <p>{@link SportradarTokenSource} is the usual way to call it; this interface is public for apps that want the raw
 * response.
 *
 * <pre>{@code
 * SportradarApi api = retrofit.create(SportradarApi.class);
 * Response<ProductTokenResponse> response = api.productToken(
 *     ProductTokenRequest.create(identityToken, "videostream_manager", "345", null)).blockingGet();
 * }</pre>
 */
public interface SportradarApi {
  /**
   * Exchanges a single-sign-on user identity token for a token to a product.
   *
   * @param request the JSON body: {@code userIdentityToken}, {@code product}, {@code customerId} and optional {@code
   *     scopes}
   * @return the HTTP response, successful or not, with its parsed body when successful
   */
  @POST("v1/products/token")
  @Headers("Accept: application/json")
  Single<Response<ProductTokenResponse>> productToken(@Body ProductTokenRequest request);
}
