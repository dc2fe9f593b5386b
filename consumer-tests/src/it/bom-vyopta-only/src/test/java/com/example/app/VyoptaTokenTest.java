package com.example.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VyoptaTokenTest {
  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");

  @Test
  void providerHandsOutTheTokenVyoptaIssued() {
    try (TokenProvider provider = TokenProvider.create(VyoptaTokenSource.builder()
        .baseUrl(vyopta.baseUrl().toString())
        .username("alice")
        .password("wonderland")
        .build())) {
      Token token = provider.token().timeout(20, TimeUnit.SECONDS).blockingGet();

      assertEquals(vyopta.lastIssuedToken(), token.value());
      assertEquals("Bearer " + token.value(), token.authorization());
    }
  }
}
