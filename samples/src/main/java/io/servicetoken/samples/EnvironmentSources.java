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
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

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
 *
 * <p>Errors speak the demo user's language: they name the environment variable at fault and say what to set it to,
 * never the builder method that refused it (a demo user cannot call {@code allowInsecureHttp()}) and never a value.
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
   * @throws IllegalArgumentException when the vendor is unknown, or a variable is missing or refused; the message
   *     names the variable and what to do, never a value
   */
  public static TokenSource create(Map<String, String> env) {
    return create(env, null);
  }

  /** As {@link #create(Map)}, with the token requests on {@code client} when it is not null (tests: short timeouts). */
  static TokenSource create(Map<String, String> env, OkHttpClient client) {
    Variables vars = new Variables(env);
    String vendor = vars.vendor();
    switch (vendor) {
      case "viveport": {
        vars.requireAll("VIVEPORT_APP_ID", "VIVEPORT_APP_SECRET");
        ViveportTokenSource.Builder builder = ViveportTokenSource.builder();
        vars.set("VIVEPORT_APP_ID", "appId", builder::appId);
        vars.set("VIVEPORT_APP_SECRET", "appSecret", builder::appSecret);
        vars.baseUrl("VIVEPORT_BASE_URL", "https://www.viveport.com/", true, builder::baseUrl);
        if (client != null) builder.client(client);
        return vars.build(builder::build);
      }
      case "appviewx": {
        vars.requireAll("APPVIEWX_BASE_URL", "APPVIEWX_CLIENT_ID", "APPVIEWX_CLIENT_SECRET");
        AppViewXTokenSource.Builder builder = AppViewXTokenSource.builder();
        vars.baseUrl("APPVIEWX_BASE_URL", "https://avx.example.com:31443/", false, builder::baseUrl);
        vars.set("APPVIEWX_CLIENT_ID", "clientId", builder::clientId);
        vars.set("APPVIEWX_CLIENT_SECRET", "clientSecret", builder::clientSecret);
        vars.set("APPVIEWX_GATEWAY_SOURCE", "gatewaySource", builder::gatewaySource);
        if (client != null) builder.client(client);
        return vars.build(builder::build);
      }
      case "vyopta": {
        vars.requireAll("VYOPTA_USERNAME", "VYOPTA_PASSWORD");
        VyoptaTokenSource.Builder builder = VyoptaTokenSource.builder();
        vars.set("VYOPTA_USERNAME", "username", builder::username);
        vars.set("VYOPTA_PASSWORD", "password", builder::password);
        vars.baseUrl("VYOPTA_BASE_URL", "https://login.vyopta.com/", true, builder::baseUrl);
        vars.set("VYOPTA_REALM", "realm", builder::realm);
        vars.set("VYOPTA_CLIENT_ID", "clientId", builder::clientId);
        vars.setEvenIfEmpty("VYOPTA_PATH_PREFIX", "pathPrefix", builder::pathPrefix);
        vars.set("VYOPTA_SCOPE", "scope", builder::scope);
        if (client != null) builder.client(client);
        return vars.build(builder::build);
      }
      case "singleview": {
        vars.requireAll("SINGLEVIEW_BASE_URL", "SINGLEVIEW_CLIENT_ID", "SINGLEVIEW_CLIENT_CODE",
            "SINGLEVIEW_MERCHANT_ID");
        SingleViewTokenSource.Builder builder = SingleViewTokenSource.builder();
        vars.baseUrl("SINGLEVIEW_BASE_URL", "https://api.singleview.example/", false, builder::baseUrl);
        vars.set("SINGLEVIEW_CLIENT_ID", "clientId", builder::clientId);
        vars.set("SINGLEVIEW_CLIENT_CODE", "clientCode", builder::clientCode);
        vars.set("SINGLEVIEW_MERCHANT_ID", "merchantId", builder::merchantId);
        if (client != null) builder.client(client);
        return vars.build(builder::build);
      }
      case "sportradar": {
        vars.requireAll("SPORTRADAR_USER_IDENTITY_TOKEN", "SPORTRADAR_PRODUCT", "SPORTRADAR_CUSTOMER_ID");
        SportradarTokenSource.Builder builder = SportradarTokenSource.builder();
        vars.set("SPORTRADAR_USER_IDENTITY_TOKEN", "userIdentityToken", builder::userIdentityToken);
        vars.set("SPORTRADAR_PRODUCT", "product", builder::product);
        vars.set("SPORTRADAR_CUSTOMER_ID", "customerId", value -> builder.customerId(value.trim()));
        vars.set("SPORTRADAR_SCOPES", "scopes", value -> builder.scopes(commaSeparated(value)));
        vars.baseUrl("SPORTRADAR_BASE_URL", "https://token.connect.sportradar.com/", true, builder::baseUrl);
        if (client != null) builder.client(client);
        return vars.build(builder::build);
      }
      default:
        throw new IllegalArgumentException(VENDOR + " is \"" + vendor + "\": set it to one of "
            + String.join(", ", VENDORS) + ", or unset it to run the demo against fake servers");
    }
  }

  /** The environment, read one variable at a time; every refusal names the variable. */
  private static final class Variables {
    private final Map<String, String> env;
    private String baseUrlName;
    private String baseUrlAdvice;

    Variables(Map<String, String> env) {
      this.env = env;
    }

    String vendor() {
      String vendor = value(VENDOR);
      if (vendor == null) {
        throw new IllegalArgumentException(VENDOR + " is not set: set it to one of " + String.join(", ", VENDORS));
      }
      return vendor.trim().toLowerCase(Locale.ROOT);
    }

    /** All missing variables in one message, so one round trip fixes them. */
    void requireAll(String... names) {
      List<String> missing = new ArrayList<>();
      for (String name : names) {
        if (value(name) == null) missing.add(name);
      }
      if (missing.isEmpty()) return;
      throw new IllegalArgumentException(String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
          + " not set: " + vendor() + " needs " + String.join(", ", names) + "; export "
          + (missing.size() == 1 ? "it" : "them") + " and run again");
    }

    /** Hands a set variable to the builder; an unset one leaves the builder's default. */
    void set(String name, String field, Consumer<String> setter) {
      String value = value(name);
      if (value != null) apply(name, field, value, setter);
    }

    /** As {@link #set}, but an empty value counts (VYOPTA_PATH_PREFIX: empty means no {@code auth/} prefix). */
    void setEvenIfEmpty(String name, String field, Consumer<String> setter) {
      String value = env.get(name);
      if (value != null) apply(name, field, value.trim(), setter);
    }

    /**
     * A base URL, with advice a demo user can follow when the builder refuses it (in the setter, or in {@code
     * build()}, which checks the scheme once it knows whether {@code allowInsecureHttp()} was called).
     */
    void baseUrl(String name, String example, boolean isDefault, Consumer<String> setter) {
      String value = value(name);
      if (value == null) return;
      baseUrlName = name;
      baseUrlAdvice = isDefault
          ? "set it to the vendor's https:// address, or unset it for the default " + example
          : "set it to your server's https:// address, e.g. " + example;
      try {
        setter.accept(value);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw baseUrlRefused(e);
      }
    }

    /** The builder's {@code build()}, its refusals translated as the setters' are. */
    TokenSource build(Supplier<TokenSource> build) {
      try {
        return build.get();
      } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
        if (baseUrlName != null && String.valueOf(e.getMessage()).startsWith("baseUrl")) throw baseUrlRefused(e);
        throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
      }
    }

    /**
     * The builder's own reason, in the variable's name; only the plain-http refusal is reworded, since it mentions
     * {@code allowInsecureHttp()}, which a demo user cannot call.
     */
    private IllegalArgumentException baseUrlRefused(RuntimeException e) {
      if (String.valueOf(e.getMessage()).startsWith("baseUrl must use https")) {
        return new IllegalArgumentException(
            baseUrlName + " uses plain http, which the SDK accepts only for localhost: " + baseUrlAdvice, e);
      }
      return refused(baseUrlName, "baseUrl", e, baseUrlAdvice);
    }

    private static void apply(String name, String field, String value, Consumer<String> setter) {
      try {
        setter.accept(value);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw refused(name, field, e, "fix " + name + " and run again");
      }
    }

    /** The builder's reason with its field name replaced by the variable's (its messages never hold a value). */
    private static IllegalArgumentException refused(String name, String field, RuntimeException e, String advice) {
      String reason = String.valueOf(e.getMessage());
      String said = reason.startsWith(field + " ") ? name + reason.substring(field.length()) : name + ": " + reason;
      return new IllegalArgumentException(said + ": " + advice, e);
    }

    private String value(String name) {
      String value = env.get(name);
      return value == null || value.trim().isEmpty() ? null : value;
    }
  }

  private static List<String> commaSeparated(String value) {
    List<String> result = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.trim().isEmpty()) result.add(part.trim());
    }
    return result;
  }
}
