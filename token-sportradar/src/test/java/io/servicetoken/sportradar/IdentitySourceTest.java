package io.servicetoken.sportradar;

import static io.servicetoken.sportradar.Fixtures.failure;
import static io.servicetoken.sportradar.Fixtures.get;
import static io.servicetoken.sportradar.Fixtures.jsonResponse;
import static io.servicetoken.sportradar.Fixtures.parseObject;
import static io.servicetoken.sportradar.Fixtures.success;
import static io.servicetoken.sportradar.Fixtures.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The identity token obtained per fetch from another source. */
class IdentitySourceTest {
  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger identityFetches = new AtomicInteger();

  /** Identity tokens "sso-identity-1", "sso-identity-2", ... one per fetch. */
  private final TokenSource sso = () -> Single.fromCallable(() ->
      Token.builder("sso-identity-" + identityFetches.incrementAndGet())
          .expiresAt(Instant.now().plusSeconds(3600))
          .build());

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private SportradarTokenSource.Builder builder(TokenSource identity) {
    return SportradarTokenSource.builder()
        .baseUrl(server.url("/").toString())
        .userIdentityToken(identity)
        .product("videostream_manager")
        .customerId("345");
  }

  private String sentIdentity() throws Exception {
    return (String) parseObject(take(server).getBody().readUtf8()).get("userIdentityToken");
  }

  @Test
  void eachFetchPostsAFreshlyObtainedIdentityToken() throws Exception {
    server.enqueue(jsonResponse(200, success("product-1", 3600)));
    server.enqueue(jsonResponse(200, success("product-2", 3600)));
    SportradarTokenSource source = builder(sso).build();
    assertEquals(0, identityFetches.get());
    assertEquals("product-1", get(source.fetch()).value());
    assertEquals("product-2", get(source.fetch()).value());
    assertEquals("sso-identity-1", sentIdentity());
    assertEquals("sso-identity-2", sentIdentity());
  }

  @Test
  void identitySourceFailurePassesThroughAsIsWithoutARequest() {
    CredentialsRejectedException ssoFailure =
        new CredentialsRejectedException("sso rejected the password", "sso", 401, "invalid_grant", null);
    TokenException e = failure(builder(() -> Single.error(ssoFailure)).build().fetch());
    assertSame(ssoFailure, e);
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void errorEchoingAnIdentityTokenFromASourceDoesNotLeakIt() {
    server.enqueue(jsonResponse(401, "{\"meta\":{\"code\":401,\"message\":\"bad token sso-identity-1\"}}"));
    TokenException e = failure(builder(sso).build().fetch());
    assertInstanceOf(CredentialsRejectedException.class, e);
    SecretScanner.assertNoSecret(e, "sso-identity-1");
  }

  @Test
  void rejectedIdentityTokenIsInvalidatedInItsProvider() throws Exception {
    server.enqueue(jsonResponse(401, "{\"meta\":{\"code\":401}}"));
    server.enqueue(jsonResponse(200, success("product-1", 3600)));
    try (TokenProvider ssoProvider = TokenProvider.create(sso)) {
      SportradarTokenSource source = builder(sso).userIdentityToken(ssoProvider).build();
      assertInstanceOf(CredentialsRejectedException.class, failure(source.fetch()));
      assertEquals("product-1", get(source.fetch()).value());
      assertEquals("sso-identity-1", sentIdentity());
      assertEquals("sso-identity-2", sentIdentity());
    }
  }

  @Test
  void identityTokenKeptByItsProviderWhileAccepted() throws Exception {
    server.enqueue(jsonResponse(200, success("product-1", 3600)));
    server.enqueue(jsonResponse(200, success("product-2", 3600)));
    try (TokenProvider ssoProvider = TokenProvider.create(sso)) {
      SportradarTokenSource source = builder(sso).userIdentityToken(ssoProvider).build();
      get(source.fetch());
      get(source.fetch());
      assertEquals("sso-identity-1", sentIdentity());
      assertEquals("sso-identity-1", sentIdentity());
      assertEquals(1, identityFetches.get());
    }
  }
}
