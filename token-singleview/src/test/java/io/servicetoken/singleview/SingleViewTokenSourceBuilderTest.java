package io.servicetoken.singleview;

import static io.servicetoken.singleview.Fixtures.CLIENT_CODE;
import static io.servicetoken.singleview.Fixtures.CLIENT_ID;
import static io.servicetoken.singleview.Fixtures.MERCHANT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.testing.SecretScanner;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class SingleViewTokenSourceBuilderTest {
  private static SingleViewTokenSource.Builder complete() {
    return SingleViewTokenSource.builder()
        .baseUrl("https://api.singleview.example/")
        .clientId(CLIENT_ID)
        .clientCode(CLIENT_CODE)
        .merchantId(MERCHANT_ID);
  }

  @Test
  void completeBuilderBuilds() {
    assertNotNull(complete().build());
  }

  @Test
  void missingBaseUrlIsReportedAtBuild() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> SingleViewTokenSource.builder().clientId(CLIENT_ID).clientCode(CLIENT_CODE).merchantId(MERCHANT_ID)
                .build());
    assertEquals("baseUrl required", e.getMessage());
  }

  @Test
  void missingClientIdIsReportedAtBuild() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> SingleViewTokenSource.builder().baseUrl("https://api.singleview.example/").clientCode(CLIENT_CODE)
                .merchantId(MERCHANT_ID).build());
    assertEquals("clientId required", e.getMessage());
  }

  @Test
  void missingClientCodeIsReportedAtBuild() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> SingleViewTokenSource.builder().baseUrl("https://api.singleview.example/").clientId(CLIENT_ID)
                .merchantId(MERCHANT_ID).build());
    assertEquals("clientCode required", e.getMessage());
  }

  @Test
  void missingMerchantIdIsReportedAtBuild() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> SingleViewTokenSource.builder().baseUrl("https://api.singleview.example/").clientId(CLIENT_ID)
                .clientCode(CLIENT_CODE).build());
    assertEquals("merchantId required", e.getMessage());
  }

  @Test
  void nullArgumentsAreRefusedByTheSetterNamingTheField() {
    assertNullRefused("baseUrl", SingleViewTokenSource.Builder::baseUrl);
    assertNullRefused("clientId", SingleViewTokenSource.Builder::clientId);
    assertNullRefused("clientCode", SingleViewTokenSource.Builder::clientCode);
    assertNullRefused("merchantId", SingleViewTokenSource.Builder::merchantId);
    assertNullRefused("grantType", SingleViewTokenSource.Builder::grantType);
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> SingleViewTokenSource.builder().client(null));
    assertEquals("client == null", e.getMessage());
  }

  @Test
  void blankArgumentsAreRefusedByTheSetterNamingTheField() {
    assertBlankRefused("baseUrl", SingleViewTokenSource.Builder::baseUrl);
    assertBlankRefused("clientId", SingleViewTokenSource.Builder::clientId);
    assertBlankRefused("clientCode", SingleViewTokenSource.Builder::clientCode);
    assertBlankRefused("merchantId", SingleViewTokenSource.Builder::merchantId);
    assertBlankRefused("grantType", SingleViewTokenSource.Builder::grantType);
  }

  @Test
  void baseUrlThatIsNotAUrlIsRefusedByTheSetter() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SingleViewTokenSource.builder().baseUrl("singleview"));
    assertTrue(e.getMessage().contains("baseUrl"), e.getMessage());
  }

  @Test
  void baseUrlWithUserInfoIsRefusedWithoutPrintingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SingleViewTokenSource.builder().baseUrl("https://user:" + CLIENT_CODE + "@api.singleview.example/"));
    SecretScanner.assertNoSecret(e, CLIENT_CODE);
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedAtBuild() {
    SingleViewTokenSource.Builder builder = complete().baseUrl("http://example.com/");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains("https"), e.getMessage());
  }

  @Test
  void allowInsecureHttpPermitsPlainHttpWhicheverComesFirst() {
    assertNotNull(complete().baseUrl("http://example.com/").allowInsecureHttp().build());
    assertNotNull(complete().allowInsecureHttp().baseUrl("http://example.com/").build());
  }

  @Test
  void plainHttpToLoopbackIsAllowed() {
    assertNotNull(complete().baseUrl("http://127.0.0.1:8080/").build());
    assertNotNull(complete().baseUrl("http://localhost:8080/").build());
  }

  @Test
  void toStringShowsNoClientCode() {
    SingleViewTokenSource source = complete().build();

    String text = source.toString();
    SecretScanner.assertNoSecret(source, CLIENT_CODE);
    assertTrue(text.contains(CLIENT_ID), text);
    assertTrue(text.contains("https://api.singleview.example/"), text);
  }

  @Test
  void requestModelToStringShowsNoClientCode() {
    SingleViewTokenRequest request = SingleViewTokenRequest.of(CLIENT_ID, CLIENT_CODE, MERCHANT_ID, "client_Credentials");

    SecretScanner.assertNoSecret(request, CLIENT_CODE);
    assertEquals(CLIENT_CODE, request.clientCode());
  }

  @Test
  void blankSecretErrorDoesNotEchoTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SingleViewTokenSource.builder().clientCode("   "));
    assertEquals("clientCode is blank", e.getMessage());
    assertFalse(e.getMessage().contains("   "));
  }

  private static void assertNullRefused(String field, BiConsumer<SingleViewTokenSource.Builder, String> setter) {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> setter.accept(SingleViewTokenSource.builder(), null));
    assertEquals(field + " == null", e.getMessage());
  }

  private static void assertBlankRefused(String field, BiConsumer<SingleViewTokenSource.Builder, String> setter) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> setter.accept(SingleViewTokenSource.builder(), " \t"));
    assertEquals(field + " is blank", e.getMessage());
  }
}
