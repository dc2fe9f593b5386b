package io.servicetoken.appviewx;

import io.reactivex.rxjava3.core.Single;
import retrofit2.Response;
import retrofit2.http.Field;
import retrofit2.http.FormUrlEncoded;
import retrofit2.http.Header;
import retrofit2.http.Headers;
import retrofit2.http.POST;
import retrofit2.http.Query;

/**
 * The AppViewX {@code acctmgmt-get-service-token} endpoint as Retrofit declares it: {@code POST
 * avxapi/acctmgmt-get-service-token?gwsource=<gateway source>} with HTTP Basic client credentials and the form body
 * {@code grant_type=client_credentials}.
 *
 * <p>{@link AppViewXTokenSource} builds and calls it; apps need it only to call the endpoint with a Retrofit of
 * their own:
 *
 * <pre>{@code
 * AppViewXApi api = retrofit.create(AppViewXApi.class);
 * Response<AppViewXTokenResponse> response = api.token(
 *     Credentials.basic(clientId, clientSecret, StandardCharsets.UTF_8), "external", "client_credentials")
 *     .blockingGet();
 * }</pre>
 */
public interface AppViewXApi {
  /**
   * Requests a service token. The response is returned whatever its status, so that status, headers and the error
   * envelope of a refusal stay visible.
   *
   * @param authorization {@code "Basic " + base64(clientId + ":" + clientSecret)}
   * @param gatewaySource the {@code gwsource} query parameter, {@code "external"} in the vendor's documentation
   * @param grantType the {@code grant_type} form field, {@code "client_credentials"}
   * @return the HTTP response, emitted once per subscription
   */
  @FormUrlEncoded
  @Headers("Accept: application/json")
  @POST("avxapi/acctmgmt-get-service-token")
  Single<Response<AppViewXTokenResponse>> token(
      @Header("Authorization") String authorization,
      @Query("gwsource") String gatewaySource,
      @Field("grant_type") String grantType);
}
