package io.servicetoken.vyopta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link VyoptaTokenSource}, {@link TokenProvider} and {@link AuthorizationInterceptor} against a real Keycloak
 * (the {@code keycloak} Maven profile: {@code ./mvnw -B verify -Pkeycloak -pl token-vyopta -am}). One server for
 * the class, with the realms of {@code src/it/keycloak}: {@code vyopta} (300 s tokens) and {@code vyopta-short}
 * (10 s tokens), each with the public client {@code vyopta} and the user alice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeycloakIT {
  private static final String USERNAME = "alice";
  private static final String PASSWORD = "wonderland-42";
  private static final String WRONG_PASSWORD = "not-" + PASSWORD;
  private static final JsonAdapter<Map<String, Object>> JSON =
      new Moshi.Builder().build().adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  @RegisterExtension static final KeycloakServer keycloak = new KeycloakServer();

  /** Generous: the first requests after start-up run on a cold JVM on a loaded machine. */
  private final OkHttpClient http = new OkHttpClient.Builder()
      .connectTimeout(10, TimeUnit.SECONDS)
      .readTimeout(30, TimeUnit.SECONDS)
      .callTimeout(60, TimeUnit.SECONDS)
      .build();

  private TokenProvider provider;

  @AfterEach
  void closeProvider() {
    if (provider != null) provider.close();
  }

  private VyoptaTokenSource.Builder source(String realm) {
    return VyoptaTokenSource.builder()
        .baseUrl(keycloak.baseUrl())
        .pathPrefix("")
        .realm(realm)
        .client(http)
        .username(USERNAME)
        .password(PASSWORD);
  }

  private OkHttpClient authorized(TokenProvider provider) {
    return http.newBuilder().addInterceptor(AuthorizationInterceptor.of(provider)).build();
  }

  private String userinfo(String realm) {
    return keycloak.baseUrl() + "realms/" + realm + "/protocol/openid-connect/userinfo";
  }

  private String account(String realm) {
    return keycloak.baseUrl() + "realms/" + realm + "/account/";
  }

  /** GETs {@code url} (JSON) with {@code client}: the status and, for a 200, the body's fields. */
  private static Answer get(OkHttpClient client, String url) throws IOException {
    Request request = new Request.Builder().url(url).header("Accept", "application/json").build();
    try (Response response = client.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      return new Answer(response.code(), response.code() == 200 ? JSON.fromJson(body) : null, body);
    }
  }

  private Answer getWith(Token token, String url) throws IOException {
    Request request = new Request.Builder().url(url).header("Accept", "application/json")
        .header("Authorization", token.authorization()).build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      return new Answer(response.code(), response.code() == 200 ? JSON.fromJson(body) : null, body);
    }
  }

  private record Answer(int code, Map<String, Object> json, String body) {
    Object field(String name) {
      return json == null ? null : json.get(name);
    }
  }

  private static Token fetch(TokenSource source) {
    return source.fetch().timeout(60, TimeUnit.SECONDS).blockingGet();
  }

  @Test
  void openidTokenIsAcceptedByUserinfoThroughTheInterceptor() throws IOException {
    provider = TokenProvider.create(source("vyopta").scope("openid").build());

    Answer answer = get(authorized(provider), userinfo("vyopta"));

    assertEquals(200, answer.code(), answer.body());
    assertEquals(USERNAME, answer.field("preferred_username"));
    Token token = provider.token().blockingGet();
    assertEquals("Bearer", token.type());
    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    // The realm's accessTokenLifespan is 300 s; the JWT's exp (whole seconds) may bound it a little earlier.
    assertTrue(lifetime.compareTo(Duration.ofSeconds(298)) >= 0 && lifetime.compareTo(Duration.ofSeconds(300)) <= 0,
        lifetime.toString());
  }

  @Test
  void defaultTokenIsAcceptedByTheAccountEndpointThroughTheInterceptor() throws IOException {
    provider = TokenProvider.create(source("vyopta").build());

    Answer answer = get(authorized(provider), account("vyopta"));

    assertEquals(200, answer.code(), answer.body());
    assertEquals(USERNAME, answer.field("username"));
  }

  @Test
  void defaultTokenIsRefusedByUserinfoForWantOfTheOpenidScope() throws IOException {
    // Why scope("openid") exists: the documented request sends no scope, and userinfo insists on openid.
    Token token = fetch(source("vyopta").build());

    assertEquals(403, getWith(token, userinfo("vyopta")).code());
  }

  @Test
  void garbageTokenGets401AtTheAccountEndpointAfterOneReplay() throws IOException {
    AtomicInteger fetches = new AtomicInteger();
    TokenSource garbage = () -> Single.fromCallable(() -> Token.builder("garbage-" + fetches.incrementAndGet())
        .expiresAt(Instant.now().plusSeconds(300)).build());
    provider = TokenProvider.create(garbage);

    Answer answer = get(authorized(provider), account("vyopta"));

    assertEquals(401, answer.code());
    assertEquals(2, fetches.get(), "one token, then one fresh token for the single replay");
  }

  @Test
  void wrongPasswordIsCredentialsRejectedWithInvalidGrant() {
    VyoptaTokenSource source = source("vyopta").password(WRONG_PASSWORD).build();

    CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class, () -> fetch(source));

    assertEquals(400, e.statusCode());
    assertEquals("invalid_grant", e.errorCode());
    assertFalse(e.isRetryable());
    assertEquals("vyopta", e.vendor());
    SecretScanner.assertNoSecret(e, WRONG_PASSWORD, PASSWORD);
    SecretScanner.assertNoSecret(source, WRONG_PASSWORD);
  }

  @Test
  void unknownUserIsCredentialsRejectedWithInvalidGrant() {
    VyoptaTokenSource source = source("vyopta").username("bob").build();

    CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class, () -> fetch(source));

    assertEquals(400, e.statusCode());
    assertEquals("invalid_grant", e.errorCode());
    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void unknownClientIsCredentialsRejectedWithInvalidClient() {
    VyoptaTokenSource source = source("vyopta").clientId("no-such-client").build();

    CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class, () -> fetch(source));

    assertEquals(401, e.statusCode());
    assertEquals("invalid_client", e.errorCode());
    assertFalse(e.isRetryable());
    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void wrongPasswordReachesTheInterceptorsCallerWithoutThePassword() {
    provider = TokenProvider.create(source("vyopta").password(WRONG_PASSWORD).build());

    IOException e = assertThrows(IOException.class, () -> get(authorized(provider), account("vyopta")));

    assertTrue(e.getCause() instanceof CredentialsRejectedException, String.valueOf(e.getCause()));
    SecretScanner.assertNoSecret(e, WRONG_PASSWORD, PASSWORD);
  }

  @Test
  void autoRefreshReplacesATenSecondTokenBeforeItExpires() throws IOException {
    provider = TokenProvider.builder(source("vyopta-short").build()).autoRefresh(true).build();
    Token first = provider.token().timeout(60, TimeUnit.SECONDS).blockingGet();
    Duration lifetime = Duration.between(first.receivedAt(), first.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(8)) > 0 && lifetime.compareTo(Duration.ofSeconds(10)) <= 0,
        lifetime.toString());
    Answer withFirst = getWith(first, account("vyopta-short"));
    assertEquals(200, withFirst.code(), withFirst.body());

    // Nobody asks for a token meanwhile: the provider's own timer must fetch the next one.
    Token second = provider.tokens()
        .filter(token -> !token.value().equals(first.value()))
        .firstOrError()
        .timeout(20, TimeUnit.SECONDS)
        .blockingGet();
    Instant arrived = Instant.now();

    assertNotEquals(first.value(), second.value());
    assertTrue(arrived.isBefore(first.expiresAt()), "second token at " + arrived + ", first expired at "
        + first.expiresAt());
    assertTrue(second.expiresAt().isAfter(first.expiresAt()));
    // The interceptor now attaches the new token, and Keycloak accepts it.
    assertEquals(second, provider.token().blockingGet());
    Answer withProvider = get(authorized(provider), account("vyopta-short"));
    assertEquals(200, withProvider.code(), withProvider.body());
    assertEquals(USERNAME, withProvider.field("username"));
  }
}
