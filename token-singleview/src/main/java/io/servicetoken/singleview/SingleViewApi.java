package io.servicetoken.singleview;

import io.reactivex.rxjava3.core.Single;
import retrofit2.Response;
import retrofit2.http.Body;
import retrofit2.http.Headers;
import retrofit2.http.POST;

/**
 * SingleView's token endpoint as its documentation ("Get Access Token") describes it: {@code POST
 * /v1/api/observice/token} with a JSON body of {@code clientId}, {@code clientCode}, {@code merchantId} and {@code
 * grantType}.
 *
 * <p>The path is relative, so a base URL with a path prefix ({@code https://gateway.example.com/singleview/}) keeps
 * it. {@link SingleViewTokenSource} builds this interface on a Retrofit whose calls run synchronously on the
 * subscribing thread; most apps use that source rather than this interface.
 */
public interface SingleViewApi {
  /**
   * Requests an access token.
   *
   * <p>The answer is wrapped in a {@link Response} so that the status, the headers (the {@code Date} header
   * corrects for the server's clock) and error bodies stay visible.
   *
   * @param request the credentials and grant type
   * @return the HTTP response; its body is present for 2xx answers
   */
  @Headers("Accept: application/json")
  @POST("v1/api/observice/token")
  Single<Response<SingleViewTokenResponse>> token(@Body SingleViewTokenRequest request);
}
