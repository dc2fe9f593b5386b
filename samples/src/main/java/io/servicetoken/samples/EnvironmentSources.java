package io.servicetoken.samples;

import io.servicetoken.TokenSource;
import io.servicetoken.appviewx.AppViewXTokenSource;
import io.servicetoken.singleview.SingleViewTokenSource;
import io.servicetoken.sportradar.SportradarTokenSource;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a real vendor's {@link TokenSource} from environment variables, for {@link Demo}'s real mode. Secrets come
 * only from the environment, never from command-line arguments (which other users of the machine can read).
 *
 * <p>{@code SERVICETOKEN_VENDOR} picks the vendor; its variables are (optional ones in brackets):
 *
 * <ul>
 *   <li>{@code viveport}: {@code VIVEPORT_APP_ID}, {@code VIVEPORT_APP_SECRET}, [{@code VIVEPORT_BASE_URL}]
 *   <li>{@code appviewx}: {@code APPVIEWX_BASE_URL}, {@code APPVIEWX_CLIENT_ID}, {@code APPVIEWX_CLIENT_SECRET},
 *       [{@code APPVIEWX_GATEWAY_SOURCE}]
 *   <li>{@code vyopta}: {@code VYOPTA_USERNAME}, {@code VYOPTA_PASSWORD}, [{@code VYOPTA_BASE_URL}, {@code
 *       VYOPTA_REALM}, {@code VYOPTA_CLIENT_ID}, {@code VYOPTA_PATH_PREFIX}, {@code VYOPTA_SCOPE}]
 *   <li>{@code singleview}: {@code SINGLEVIEW_BASE_URL}, {@code SINGLEVIEW_CLIENT_ID}, {@code
 *       SINGLEVIEW_CLIENT_CODE}, {@code SINGLEVIEW_MERCHANT_ID}
 *   <li>{@code sportradar}: {@code SPORTRADAR_USER_IDENTITY_TOKEN}, {@code SPORTRADAR_PRODUCT}, {@code
 *       SPORTRADAR_CUSTOMER_ID}, [{@code SPORTRADAR_SCOPES} (comma-separated), {@code SPORTRADAR_BASE_URL}]
 * </ul>
 *
 * <p>An empty variable counts as unset. Base URLs default to the vendor's own where it has one.
 */
public final class EnvironmentSources {
  /** The variable that selects the vendor and switches {@link Demo} from the fakes to a real vendor. */
  public static final String VENDOR = "SERVICETOKEN_VENDOR";

  /** The vendors {@link #VENDOR} accepts. */
  public static final List<String> VENDORS = List.of("viveport", "appviewx", "vyopta", "singleview", "sportradar");

  private EnvironmentSources() {}

  /**
   * The source of the vendor named in {@code env}.
   *
   * @param env the environment, usually {@link System#getenv()}
   * @return the vendor's source; nothing is fetched yet
   * @throws IllegalArgumentException when the vendor is unknown or a variable is missing or invalid (the message
   *     names the variable or builder field, never a value)
   */
  public static TokenSource create(Map<String, String> env) {
    String vendor = required(env, VENDOR).trim().toLowerCase(Locale.ROOT);
    switch (vendor) {
      case "viveport": {
        ViveportTokenSource.Builder builder = ViveportTokenSource.builder()
            .appId(required(env, "VIVEPORT_APP_ID"))
            .appSecret(required(env, "VIVEPORT_APP_SECRET"));
        String baseUrl = optional(env, "VIVEPORT_BASE_URL");
        if (baseUrl != null) builder.baseUrl(baseUrl);
        return builder.build();
      }
      case "appviewx": {
        AppViewXTokenSource.Builder builder = AppViewXTokenSource.builder()
            .baseUrl(required(env, "APPVIEWX_BASE_URL"))
            .clientId(required(env, "APPVIEWX_CLIENT_ID"))
            .clientSecret(required(env, "APPVIEWX_CLIENT_SECRET"));
        String gatewaySource = optional(env, "APPVIEWX_GATEWAY_SOURCE");
        if (gatewaySource != null) builder.gatewaySource(gatewaySource);
        return builder.build();
      }
      case "vyopta": {
        VyoptaTokenSource.Builder builder = VyoptaTokenSource.builder()
            .username(required(env, "VYOPTA_USERNAME"))
            .password(required(env, "VYOPTA_PASSWORD"));
        String baseUrl = optional(env, "VYOPTA_BASE_URL");
        if (baseUrl != null) builder.baseUrl(baseUrl);
        String realm = optional(env, "VYOPTA_REALM");
        if (realm != null) builder.realm(realm);
        String clientId = optional(env, "VYOPTA_CLIENT_ID");
        if (clientId != null) builder.clientId(clientId);
        // Empty means "current Keycloak, no /auth/ prefix", so this one is read even when empty.
        String pathPrefix = env.get("VYOPTA_PATH_PREFIX");
        if (pathPrefix != null) builder.pathPrefix(pathPrefix.trim());
        String scope = optional(env, "VYOPTA_SCOPE");
        if (scope != null) builder.scope(scope);
        return builder.build();
      }
      case "singleview":
        return SingleViewTokenSource.builder()
            .baseUrl(required(env, "SINGLEVIEW_BASE_URL"))
            .clientId(required(env, "SINGLEVIEW_CLIENT_ID"))
            .clientCode(required(env, "SINGLEVIEW_CLIENT_CODE"))
            .merchantId(required(env, "SINGLEVIEW_MERCHANT_ID"))
            .build();
      case "sportradar": {
        SportradarTokenSource.Builder builder = SportradarTokenSource.builder()
            .userIdentityToken(required(env, "SPORTRADAR_USER_IDENTITY_TOKEN"))
            .product(required(env, "SPORTRADAR_PRODUCT"))
            .customerId(required(env, "SPORTRADAR_CUSTOMER_ID").trim());
        String scopes = optional(env, "SPORTRADAR_SCOPES");
        if (scopes != null) builder.scopes(commaSeparated(scopes));
        String baseUrl = optional(env, "SPORTRADAR_BASE_URL");
        if (baseUrl != null) builder.baseUrl(baseUrl);
        return builder.build();
      }
      default:
        throw new IllegalArgumentException(
            VENDOR + " must be one of " + String.join(", ", VENDORS) + " (it is \"" + vendor + "\")");
    }
  }

  private static String required(Map<String, String> env, String name) {
    String value = optional(env, name);
    if (value == null) throw new IllegalArgumentException(name + " is not set");
    return value;
  }

  private static String optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.trim().isEmpty() ? null : value;
  }

  private static List<String> commaSeparated(String value) {
    List<String> result = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.trim().isEmpty()) result.add(part.trim());
    }
    return result;
  }
}
