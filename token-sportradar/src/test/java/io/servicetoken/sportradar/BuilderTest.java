package io.servicetoken.sportradar;

import static io.servicetoken.sportradar.Fixtures.IDENTITY_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.SecretScanner;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Eager validation, one message style, and no secret in toString(). */
class BuilderTest {
  private static SportradarTokenSource.Builder complete() {
    return SportradarTokenSource.builder().userIdentityToken(IDENTITY_TOKEN).product("videostream_manager").customerId("345");
  }

  @Test
  void completeBuilderBuildsWithTheDefaultBaseUrl() {
    assertTrue(complete().build().toString().contains("https://token.connect.sportradar.com/"));
  }

  @Test
  void missingUserIdentityTokenFailsAtBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SportradarTokenSource.builder().product("p").customerId("1").build());
    assertEquals("userIdentityToken required", e.getMessage());
  }

  @Test
  void missingProductFailsAtBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SportradarTokenSource.builder().userIdentityToken(IDENTITY_TOKEN).customerId("1").build());
    assertEquals("product required", e.getMessage());
  }

  @Test
  void missingCustomerIdFailsAtBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SportradarTokenSource.builder().userIdentityToken(IDENTITY_TOKEN).product("p").build());
    assertEquals("customerId required", e.getMessage());
  }

  @Test
  void nullUserIdentityTokenIsRefusedNamingTheField() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> SportradarTokenSource.builder().userIdentityToken((String) null));
    assertEquals("userIdentityToken == null", e.getMessage());
  }

  @Test
  void nullUserIdentityTokenSourceIsRefusedNamingTheField() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> SportradarTokenSource.builder().userIdentityToken((TokenSource) null));
    assertEquals("userIdentityToken == null", e.getMessage());
  }

  @Test
  void blankUserIdentityTokenIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SportradarTokenSource.builder().userIdentityToken("  "));
    assertEquals("userIdentityToken is blank", e.getMessage());
  }

  @Test
  void nullProductIsRefusedNamingTheField() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> SportradarTokenSource.builder().product(null));
    assertEquals("product == null", e.getMessage());
  }

  @Test
  void blankProductIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SportradarTokenSource.builder().product(""));
    assertEquals("product is blank", e.getMessage());
  }

  @Test
  void nullCustomerIdIsRefusedNamingTheField() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> SportradarTokenSource.builder().customerId(null));
    assertEquals("customerId == null", e.getMessage());
  }

  @Test
  void blankCustomerIdIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SportradarTokenSource.builder().customerId(" "));
    assertEquals("customerId is blank", e.getMessage());
  }

  @Test
  void negativeCustomerIdIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SportradarTokenSource.builder().customerId(-1L));
    assertEquals("customerId is negative", e.getMessage());
  }

  @Test
  void emptyScopesAreRefusedSinceLeavingThemOutMeansAll() {
    assertThrows(IllegalArgumentException.class, () -> SportradarTokenSource.builder().scopes(Collections.emptyList()));
    assertThrows(IllegalArgumentException.class, () -> SportradarTokenSource.builder().scopes());
  }

  @Test
  void blankOrNullScopeIsRefusedNamingTheField() {
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> SportradarTokenSource.builder().scopes("read:organization", " "));
    assertEquals("scope is blank", blank.getMessage());
    List<String> withNull = Arrays.asList("read:organization", null);
    NullPointerException nul = assertThrows(NullPointerException.class,
        () -> SportradarTokenSource.builder().scopes(withNull));
    assertEquals("scope == null", nul.getMessage());
  }

  @Test
  void nullClientIsRefusedNamingTheField() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> SportradarTokenSource.builder().client(null));
    assertEquals("client == null", e.getMessage());
  }

  @Test
  void sharedClientIsAccepted() {
    assertNotNull(complete().client(new OkHttpClient()).build());
  }

  @Test
  void nullBaseUrlIsRefusedNamingTheField() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> SportradarTokenSource.builder().baseUrl(null));
    assertEquals("baseUrl == null", e.getMessage());
  }

  @Test
  void malformedBaseUrlIsRefusedAtTheSetter() {
    assertThrows(IllegalArgumentException.class, () -> SportradarTokenSource.builder().baseUrl("not a url"));
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedAtBuild() {
    SportradarTokenSource.Builder builder = complete().baseUrl("http://example.com/");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(String.valueOf(e.getMessage()).contains("https"), e.getMessage());
  }

  @Test
  void allowInsecureHttpPermitsPlainHttp() {
    assertNotNull(complete().baseUrl("http://example.com/").allowInsecureHttp().build());
  }

  @Test
  void plainHttpToLoopbackIsAllowed() {
    assertNotNull(complete().baseUrl("http://127.0.0.1:8080/").build());
  }

  @Test
  void toStringShowsNoIdentityToken() {
    SportradarTokenSource source = complete().scopes("read:organization").build();
    SecretScanner.assertNoSecret(source, IDENTITY_TOKEN);
    String text = source.toString();
    assertTrue(text.contains("videostream_manager") && text.contains("345") && text.contains("read:organization"), text);
  }

  @Test
  void toStringWithAnIdentitySourceNamesNoToken() {
    SportradarTokenSource source = complete().userIdentityToken(() -> Single.never()).build();
    assertTrue(source.toString().contains("userIdentityToken=TokenSource"), source.toString());
  }

  @Test
  void requestToStringShowsNoIdentityToken() {
    ProductTokenRequest request = ProductTokenRequest.create(IDENTITY_TOKEN, "p", "345", null);
    SecretScanner.assertNoSecret(request, IDENTITY_TOKEN);
    assertFalse(request.toString().contains("scopes=["));
  }
}
