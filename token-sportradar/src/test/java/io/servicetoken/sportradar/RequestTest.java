package io.servicetoken.sportradar;

import static io.servicetoken.sportradar.Fixtures.IDENTITY_TOKEN;
import static io.servicetoken.sportradar.Fixtures.PRODUCT;
import static io.servicetoken.sportradar.Fixtures.get;
import static io.servicetoken.sportradar.Fixtures.jsonResponse;
import static io.servicetoken.sportradar.Fixtures.parseJson;
import static io.servicetoken.sportradar.Fixtures.parseObject;
import static io.servicetoken.sportradar.Fixtures.resourceText;
import static io.servicetoken.sportradar.Fixtures.sampleBuilder;
import static io.servicetoken.sportradar.Fixtures.success;
import static io.servicetoken.sportradar.Fixtures.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.Token;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes on the wire. */
class RequestTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
    server.enqueue(jsonResponse(200, success("product-token", 3600)));
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private RecordedRequest send(SportradarTokenSource source) throws InterruptedException {
    get(source.fetch());
    return take(server);
  }

  @Test
  void postsToV1ProductsToken() throws Exception {
    RecordedRequest request = send(sampleBuilder(server).build());
    assertEquals("POST", request.getMethod());
    assertEquals("/v1/products/token", request.getPath());
  }

  @Test
  void keepsThePathOfTheBaseUrl() throws Exception {
    get(sampleBuilder(server).baseUrl(server.url("/synergy").toString()).build().fetch());
    assertEquals("/synergy/v1/products/token", take(server).getPath());
  }

  @Test
  void sendsJsonAndAcceptsJson() throws Exception {
    RecordedRequest request = send(sampleBuilder(server).build());
    assertEquals("application/json", request.getHeader("Accept"));
    assertTrue(String.valueOf(request.getHeader("Content-Type")).startsWith("application/json"));
  }

  @Test
  void identifiesItselfInUserAgent() throws Exception {
    RecordedRequest request = send(sampleBuilder(server).build());
    String userAgent = String.valueOf(request.getHeader("User-Agent"));
    assertTrue(userAgent.startsWith("servicetoken/"), userAgent);
    assertTrue(userAgent.endsWith(" token-sportradar"), userAgent);
  }

  @Test
  void sendsNoAuthorizationHeader() throws Exception {
    assertNull(send(sampleBuilder(server).build()).getHeader("Authorization"));
  }

  @Test
  void bodyIsTheDocumentedSampleRequest() throws Exception {
    RecordedRequest request =
        send(sampleBuilder(server).scopes("read:organization", "write:organization").build());
    assertEquals(parseJson(resourceText("sample-request.json")), parseJson(request.getBody().readUtf8()));
  }

  @Test
  void numericCustomerIdTravelsAsJsonNumberLikeTheSample() throws Exception {
    String body = send(sampleBuilder(server).customerId("345").build()).getBody().readUtf8();
    assertTrue(body.contains("\"customerId\":345"), body);
  }

  @Test
  void longCustomerIdTravelsAsJsonNumber() throws Exception {
    String body = send(sampleBuilder(server).customerId(345L).build()).getBody().readUtf8();
    assertTrue(body.contains("\"customerId\":345"), body);
  }

  @Test
  void nonNumericCustomerIdTravelsAsJsonString() throws Exception {
    String body = send(sampleBuilder(server).customerId("cust-345").build()).getBody().readUtf8();
    assertTrue(body.contains("\"customerId\":\"cust-345\""), body);
  }

  @Test
  void customerIdWithLeadingZeroTravelsAsJsonStringToKeepItsDigits() throws Exception {
    String body = send(sampleBuilder(server).customerId("0345").build()).getBody().readUtf8();
    assertTrue(body.contains("\"customerId\":\"0345\""), body);
  }

  @Test
  void customerIdBeyondFifteenDigitsTravelsAsJsonStringToStayExact() throws Exception {
    String body = send(sampleBuilder(server).customerId("1234567890123456").build()).getBody().readUtf8();
    assertTrue(body.contains("\"customerId\":\"1234567890123456\""), body);
  }

  @Test
  void scopesAreLeftOutOfTheJsonWhenNotGiven() throws Exception {
    String body = send(sampleBuilder(server).build()).getBody().readUtf8();
    assertFalse(body.contains("scopes"), body);
    Map<String, Object> json = parseObject(body);
    assertEquals(3, json.size());
    assertEquals(IDENTITY_TOKEN, json.get("userIdentityToken"));
    assertEquals(PRODUCT, json.get("product"));
  }

  @Test
  void scopesAreSentAsAList() throws Exception {
    String body = send(sampleBuilder(server).scopes(Arrays.asList("read:organization")).build()).getBody().readUtf8();
    assertEquals(Arrays.asList("read:organization"), parseObject(body).get("scopes"));
  }

  @Test
  void fetchIsColdAndEachSubscriptionIsOneRequest() throws Exception {
    server.enqueue(jsonResponse(200, success("second-token", 3600)));
    Single<Token> fetch = sampleBuilder(server).build().fetch();
    assertEquals(0, server.getRequestCount());
    assertEquals("product-token", get(fetch).value());
    assertEquals("second-token", get(fetch).value());
    assertEquals(2, server.getRequestCount());
  }
}
