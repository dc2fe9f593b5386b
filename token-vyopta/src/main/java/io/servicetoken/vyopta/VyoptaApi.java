package io.servicetoken.vyopta;

import io.reactivex.rxjava3.core.Single;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;
import retrofit2.http.Field;
import retrofit2.http.FormUrlEncoded;
import retrofit2.http.Headers;
import retrofit2.http.POST;
import retrofit2.http.Path;

/**
 * Vyopta's token endpoint (Keycloak's OpenID Connect token endpoint) as a Retrofit interface: {@code POST
 * {pathPrefix}realms/{realm}/protocol/openid-connect/token} with a form body, on the base URL {@code
 * https://login.vyopta.com/}.
 *
 * <p>{@link VyoptaTokenSource} uses it; it is public for apps that want to call the endpoint with their own
 * Retrofit:
 *
 * <pre>{@code
 * VyoptaApi api = retrofit.create(VyoptaApi.class);
 * Response<VyoptaTokenResponse> response =
 *     api.token("auth/", "vyopta", "password", "vyopta", "alice", "wonderland", null).blockingGet();
 * }</pre>
 */
public interface VyoptaApi {
  /**
   * Requests an access token with the OAuth password grant.
   *
   * @param pathPrefix the path before {@code realms/}, already URL-encoded: {@code "auth/"} for Vyopta and Keycloak
   *     before version 17, {@code ""} for current Keycloak
   * @param realm the realm, {@code "vyopta"} for Vyopta
   * @param grantType {@code "password"}
   * @param clientId the OAuth client, {@code "vyopta"} for Vyopta
   * @param username the Vyopta user name
   * @param password the Vyopta password
   * @param scope the requested scope (for example {@code "openid"}), or null to send none
   * @return the response with status, headers and, on success, the parsed body
   */
  @FormUrlEncoded
  @Headers("Accept: application/json")
  @POST("{pathPrefix}realms/{realm}/protocol/openid-connect/token")
  Single<Response<VyoptaTokenResponse>> token(
      @Path(value = "pathPrefix", encoded = true) String pathPrefix,
      @Path("realm") String realm,
      @Field("grant_type") String grantType,
      @Field("client_id") String clientId,
      @Field("username") String username,
      @Field("password") String password,
      @Field("scope") @Nullable String scope);
}
