package io.servicetoken.testing;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * A fake Sportradar (Synergy) token service: {@code POST /v1/products/token} with a JSON body {@code
 * {userIdentityToken, product, customerId, scopes?}}, answered in the documentation's shape {@code {"data": {"token",
 * "tokenType": "bearer", "expiresIn"}, "meta": {"code": 200, ...}}} with signed JWTs of {@link
 * #DEFAULT_TOKEN_LIFETIME} (3600 s, the documentation's sample) unless {@link #tokenLifetime(Duration)} says
 * otherwise.
 *
 * <p>Errors carry the same {@code meta} block with {@code code} equal to the HTTP status and a {@code message}:
 *
 * <ul>
 *   <li>another method or path: 404;
 *   <li>a body that is not a JSON object, or lacks {@code userIdentityToken}, {@code product} or {@code
 *       customerId}: 400;
 *   <li>a wrong identity token: 401;
 *   <li>a product not among {@link #products(String...)} (when set): 400;
 *   <li>a customer not among {@link #customerIds(String...)} (when set): 403;
 *   <li>{@link #failNext(int, int)}: the given status.
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension final FakeSportradar sportradar =
 *     FakeSportradar.accepting("identity-token").products("videostream_manager").customerIds("345");
 *
 * @Test void fetchesAProductToken() {
 *   Token token = SportradarTokenSource.builder()
 *       .baseUrl(sportradar.baseUrl().toString())
 *       .userIdentityToken("identity-token").product("videostream_manager").customerId(345)
 *       .build().fetch().blockingGet();
 *   assertEquals(sportradar.lastIssuedToken(), token.value());
 * }
 * }</pre>
 */
public final class FakeSportradar extends FakeTokenServer {
  /** The lifetime of issued tokens unless changed: 3600 s, as in the documentation's sample response. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(3600);

  private static final String PATH = "/v1/products/token";
  private static final String CODE_VERSION = "d6cd1e2bd19e03a81132a23b2025920577f84e37";
  private static final DateTimeFormatter META_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final JsonAdapter<Object> json = new Moshi.Builder().build().adapter(Object.class);
  private final String userIdentityToken;
  private volatile Set<String> products = Collections.emptySet();
  private volatile Set<String> customerIds = Collections.emptySet();

  private FakeSportradar(String userIdentityToken) {
    super(DEFAULT_TOKEN_LIFETIME);
    this.userIdentityToken = userIdentityToken;
  }

  /**
   * A fake that issues product tokens to this identity token, for any product and customer until {@link
   * #products(String...)} or {@link #customerIds(String...)} restrict them.
   *
   * @param userIdentityToken the identity token accepted
   * @return the fake, not started yet
   * @throws NullPointerException if {@code userIdentityToken} is null
   * @throws IllegalArgumentException if it is blank
   */
  public static FakeSportradar accepting(String userIdentityToken) {
    Objects.requireNonNull(userIdentityToken, "userIdentityToken == null");
    if (userIdentityToken.trim().isEmpty()) throw new IllegalArgumentException("userIdentityToken is blank");
    return new FakeSportradar(userIdentityToken);
  }

  /**
   * Issues tokens only for these products; any other gets 400.
   *
   * @param products the products known
   * @return this fake
   */
  public FakeSportradar products(String... products) {
    this.products = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(products)));
    return this;
  }

  /**
   * Issues tokens only for these customers (compared as text: {@code 345} and {@code "345"} are the same); any
   * other gets 403.
   *
   * @param customerIds the customer ids known
   * @return this fake
   */
  public FakeSportradar customerIds(String... customerIds) {
    this.customerIds = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(customerIds)));
    return this;
  }

  // FakeTokenServer's setters, returning FakeSportradar so that chains keep their type.

  @Override
  public FakeSportradar start() {
    super.start();
    return this;
  }

  @Override
  public FakeSportradar tokenLifetime(Duration lifetime) {
    super.tokenLifetime(lifetime);
    return this;
  }

  @Override
  public FakeSportradar serverClockOffset(Duration offset) {
    super.serverClockOffset(offset);
    return this;
  }

  @Override
  public FakeSportradar failNext(int count) {
    super.failNext(count);
    return this;
  }

  @Override
  public FakeSportradar failNext(int count, int status) {
    super.failNext(count, status);
    return this;
  }

  @Override
  public FakeSportradar slowNext(int count, Duration delay) {
    super.slowNext(count, delay);
    return this;
  }

  @Override
  public FakeSportradar malformedNext(int count) {
    super.malformedNext(count);
    return this;
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    if (!"POST".equals(request.getMethod()) || !PATH.equals(pathOf(request))) {
      return error(404, "Not found: " + request.getMethod() + " " + pathOf(request));
    }
    Object parsed;
    try {
      parsed = json.fromJson(request.getBody().clone().readUtf8());
    } catch (Exception e) {
      return error(400, "The request body is not valid JSON");
    }
    if (!(parsed instanceof Map)) return error(400, "The request body must be a JSON object");
    Map<?, ?> body = (Map<?, ?>) parsed;
    String identity = text(body.get("userIdentityToken"));
    String product = text(body.get("product"));
    String customerId = text(body.get("customerId"));
    if (identity == null) return error(400, "userIdentityToken is required");
    if (product == null) return error(400, "product is required");
    if (customerId == null) return error(400, "customerId is required");
    Object scopes = body.get("scopes");
    if (scopes != null && !isStringList(scopes)) return error(400, "scopes must be a list of strings");
    if (!userIdentityToken.equals(identity)) return error(401, "The user identity token is invalid or expired");
    if (!products.isEmpty() && !products.contains(product)) return error(400, "Unknown product");
    if (!customerIds.isEmpty() && !customerIds.contains(customerId)) {
      return error(403, "The user has no access to this customer");
    }

    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", "sportradar-user");
    claims.put("product", product);
    claims.put("customerId", customerId);
    if (scopes != null) claims.put("scope", spaceSeparated(stringList(scopes)));
    String token = issue(claims);
    return json(200,
        "{\"data\":{\"token\":" + quote(token) + ",\"tokenType\":\"bearer\",\"expiresIn\":"
            + tokenLifetime().getSeconds() + "}," + meta(200, null) + "}");
  }

  @Override
  protected MockResponse failure(int status) {
    return error(status, "Service failure");
  }

  private MockResponse error(int status, String message) {
    return json(status, "{\"data\":null," + meta(status, message) + "}");
  }

  private String meta(int code, @Nullable String message) {
    return "\"meta\":{\"code\":" + code
        + (message != null ? ",\"message\":" + quote(message) : "")
        + ",\"codeVersion\":\"" + CODE_VERSION + "\",\"generationTime\":0.000512,\"time\":"
        + quote(META_TIME.format(serverNow().atOffset(ZoneOffset.UTC))) + ",\"version\":1}";
  }

  private static String pathOf(RecordedRequest request) {
    String path = request.getPath();
    if (path == null) return "";
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /** Strings as they are; whole numbers without ".0" (Moshi reads every JSON number as a double). */
  private static @Nullable String text(@Nullable Object value) {
    if (value instanceof String) return ((String) value).trim().isEmpty() ? null : (String) value;
    if (value instanceof Double) {
      double number = (Double) value;
      return number == Math.rint(number) ? Long.toString((long) number) : value.toString();
    }
    return null;
  }

  private static boolean isStringList(Object value) {
    if (!(value instanceof List)) return false;
    for (Object item : (List<?>) value) {
      if (!(item instanceof String)) return false;
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static List<String> stringList(Object value) {
    return (List<String>) value;
  }
}
