package com.example.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.appviewx.AppViewXTokenSource;
import io.servicetoken.singleview.SingleViewTokenSource;
import io.servicetoken.sportradar.SportradarTokenSource;
import io.servicetoken.testing.FakeAppViewX;
import io.servicetoken.testing.FakeSingleView;
import io.servicetoken.testing.FakeSportradar;
import io.servicetoken.testing.FakeTokenServer;
import io.servicetoken.testing.FakeViveport;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.testing.InMemoryTokenStore;
import io.servicetoken.micrometer.TokenProviderMetrics;
import io.servicetoken.redis.RedisTokenStore;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AllVendorsTest {
  @RegisterExtension final FakeViveport viveport = FakeViveport.accepting("app-1", "viveport-secret");
  @RegisterExtension final FakeAppViewX appViewX = FakeAppViewX.accepting("client-1", "appviewx-secret");
  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");
  @RegisterExtension final FakeSingleView singleView = FakeSingleView.accepting("client-2", "code-2", "merchant-2");
  @RegisterExtension final FakeSportradar sportradar = FakeSportradar.accepting("identity-token");

  private static void assertProviderServes(FakeTokenServer fake, TokenSource source) {
    try (TokenProvider provider = TokenProvider.create(source)) {
      Token token = provider.token().timeout(20, TimeUnit.SECONDS).blockingGet();
      assertEquals(fake.lastIssuedToken(), token.value());
    }
  }

  @Test
  void viveportTokenArrives() {
    assertProviderServes(viveport, ViveportTokenSource.builder()
        .baseUrl(viveport.baseUrl().toString()).appId("app-1").appSecret("viveport-secret").build());
  }

  @Test
  void appViewXTokenArrives() {
    assertProviderServes(appViewX, AppViewXTokenSource.builder()
        .baseUrl(appViewX.baseUrl().toString()).clientId("client-1").clientSecret("appviewx-secret").build());
  }

  @Test
  void vyoptaTokenArrives() {
    assertProviderServes(vyopta, VyoptaTokenSource.builder()
        .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build());
  }

  @Test
  void singleViewTokenArrives() {
    assertProviderServes(singleView, SingleViewTokenSource.builder()
        .baseUrl(singleView.baseUrl().toString()).clientId("client-2").clientCode("code-2").merchantId("merchant-2")
        .build());
  }

  @Test
  void sportradarTokenArrives() {
    assertProviderServes(sportradar, SportradarTokenSource.builder()
        .baseUrl(sportradar.baseUrl().toString()).userIdentityToken("identity-token").product("videostream_manager")
        .customerId(345).build());
  }

  @Test
  void fleetAndMetricsModulesWorkFromTheBom() throws Exception {
    // Built while no Redis listens: build() never connects, so an app starts even with Redis down.
    try (RedisTokenStore redis = RedisTokenStore.builder("redis://127.0.0.1:1/0").plaintext().build()) {
      InMemoryTokenStore store = InMemoryTokenStore.create();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      TokenSource source = VyoptaTokenSource.builder()
          .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build();
      try (TokenProvider provider = TokenProvider.builder(source).store(store).build()) {
        TokenProviderMetrics.of(provider, Tags.of("vendor", "vyopta")).bindTo(registry);
        provider.token().timeout(20, TimeUnit.SECONDS).blockingGet();
      }
      assertEquals(1, vyopta.requestCount());
    }
  }
}
