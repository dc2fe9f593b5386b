package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BaseUrlsTest {
  @Test
  void httpsIsAcceptedAndGetsATrailingSlash() {
    assertEquals("https://login.vyopta.com/auth/", BaseUrls.parse("https://login.vyopta.com/auth", false).toString());
    assertEquals("https://host:31443/", BaseUrls.parse("https://host:31443", false).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:8080/", "http://127.0.0.1:1/", "http://127.1.2.3/", "http://[::1]:9/"})
  void plainHttpIsAcceptedForLoopbackHosts(String url) {
    assertEquals("http", BaseUrls.parse(url, false).scheme());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://example.com/", "http://10.0.0.1/", "http://128.0.0.1/", "http://localhost.evil.com/"})
  void plainHttpToOtherHostsIsRefused(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BaseUrls.parse(url, false));
    assertTrue(e.getMessage().startsWith("baseUrl must use https"), e.getMessage());
  }

  @Test
  void allowInsecureHttpPermitsPlainHttp() {
    assertEquals("http://example.com/", BaseUrls.parse("http://example.com", true).toString());
  }

  @Test
  void malformedOrCredentialBearingUrlsAreRefusedWithoutEchoingThem() {
    IllegalArgumentException notUrl =
        assertThrows(IllegalArgumentException.class, () -> BaseUrls.parse("ftp://secret-host/", false));
    assertFalse(notUrl.getMessage().contains("secret-host"));
    IllegalArgumentException userInfo =
        assertThrows(IllegalArgumentException.class, () -> BaseUrls.parse("https://user:hunter2@host/", false));
    assertFalse(userInfo.getMessage().contains("hunter2"));
    assertThrows(IllegalArgumentException.class, () -> BaseUrls.parse("https://host/?key=hunter2", false));
    assertEquals("baseUrl == null", assertThrows(NullPointerException.class, () -> BaseUrls.parse(null, false)).getMessage());
  }

  @Test
  void loopbackIsDecidedFromTheNameAlone() {
    assertTrue(BaseUrls.isLoopback("LOCALHOST"));
    assertTrue(BaseUrls.isLoopback("127.255.255.254"));
    assertFalse(BaseUrls.isLoopback("127.0.0.256"));
    assertFalse(BaseUrls.isLoopback("127.0.0"));
    assertFalse(BaseUrls.isLoopback("127.0.0.1.nip.io"));
  }
}
