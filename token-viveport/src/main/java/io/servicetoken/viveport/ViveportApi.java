package io.servicetoken.viveport;

import io.reactivex.rxjava3.core.Single;
import retrofit2.Response;
import retrofit2.http.GET;
import retrofit2.http.Headers;
import retrofit2.http.Query;

/**
 * VIVEPORT's service token endpoint, as its documentation ("Service token management") describes it:
 *
 * <pre>{@code
 * GET https://www.viveport.com/api/thirdpartygatewayservice/v1/monitor/servicetoken?appId={1}&appSecret={2}
 * Accept: application/json
 * }</pre>
 *
 * <p>The method returns the whole {@link Response} so that the status, the {@code Date} header (used to correct
 * for the server's clock) and error bodies are visible. Most apps use {@link ViveportTokenSource} instead, which
 * calls this endpoint and maps the answer to a {@link io.servicetoken.Token}.
 *
 * <p>Note that the app secret travels in the query string: never log the request URL of this call unredacted.
 */
public interface ViveportApi {
  /** The endpoint's path relative to the base URL ({@code https://www.viveport.com/} by default). */
  String PATH = "api/thirdpartygatewayservice/v1/monitor/servicetoken";

  /**
   * Requests a service token.
   *
   * @param appId the VIVEPORT ID of the title requiring access to VIVEPORT internal services
   * @param appSecret the app secret provided by VIVEPORT support
   * @return the response: on success a {@link ViveportServiceToken}; 400 (invalid payload), 403 (credentials
   *     invalid or appId unknown) or 500 (DB exception) otherwise
   */
  @GET(PATH)
  @Headers("Accept: application/json")
  Single<Response<ViveportServiceToken>> serviceToken(
      @Query("appId") String appId, @Query("appSecret") String appSecret);
}
