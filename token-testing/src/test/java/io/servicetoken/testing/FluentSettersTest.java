package io.servicetoken.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Settings of a fake chain without losing the fake's type (issue 18, item 3). */
class FluentSettersTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @Test
  void everySetterChainOfEveryFakeKeepsTheFakesType() throws Exception {
    // These assignments are the test: they compile only if each setter returns the fake's own type.
    FakeViveport viveport = FakeViveport.accepting("app", "secret")
        .tokenLifetime(TEN_SECONDS).serverClockOffset(Duration.ZERO).failNext(1).failNext(1, 500)
        .slowNext(0, Duration.ZERO).malformedNext(0).start();
    FakeAppViewX appViewX = FakeAppViewX.accepting("client", "secret")
        .tokenLifetime(TEN_SECONDS).serverClockOffset(Duration.ZERO).failNext(1).failNext(1, 500)
        .slowNext(0, Duration.ZERO).malformedNext(0).start();
    FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland")
        .tokenLifetime(TEN_SECONDS).serverClockOffset(Duration.ZERO).failNext(1).failNext(1, 500)
        .slowNext(0, Duration.ZERO).malformedNext(0).realm("vyopta").start();
    FakeSingleView singleView = FakeSingleView.accepting("client", "code", "merchant")
        .tokenLifetime(TEN_SECONDS).serverClockOffset(Duration.ZERO).failNext(1).failNext(1, 500)
        .slowNext(0, Duration.ZERO).malformedNext(0).start();
    FakeSportradar sportradar = FakeSportradar.accepting("identity")
        .tokenLifetime(TEN_SECONDS).serverClockOffset(Duration.ZERO).failNext(1).failNext(1, 500)
        .slowNext(0, Duration.ZERO).malformedNext(0).products("videostream_manager").start();

    OkHttpClient client = new OkHttpClient();
    try {
      for (FakeTokenServer fake : List.of(viveport, appViewX, vyopta, singleView, sportradar)) {
        // The chain configured this very fake: its lifetime, and the last failNext(1, 500) answers next.
        assertEquals(TEN_SECONDS, fake.tokenLifetime(), fake.toString());
        try (Response response = client.newCall(new Request.Builder().url(fake.baseUrl()).build()).execute()) {
          assertEquals(500, response.code(), fake.toString());
        }
      }
    } finally {
      for (FakeTokenServer fake : List.of(viveport, appViewX, vyopta, singleView, sportradar)) fake.close();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** Guards setters added to FakeTokenServer later: each fake must override them with its own return type. */
  @Test
  void eachFakeOverridesEveryFluentMethodOfTheBaseWithItsOwnType() {
    List<String> missing = new ArrayList<>();
    for (Class<?> fake : List.of(
        FakeViveport.class, FakeAppViewX.class, FakeVyopta.class, FakeSingleView.class, FakeSportradar.class)) {
      for (Method base : FakeTokenServer.class.getDeclaredMethods()) {
        if (!Modifier.isPublic(base.getModifiers()) || base.getReturnType() != FakeTokenServer.class) continue;
        try {
          Method own = fake.getDeclaredMethod(base.getName(), base.getParameterTypes());
          if (own.getReturnType() != fake || own.isBridge()) missing.add(fake.getSimpleName() + "." + base.getName());
        } catch (NoSuchMethodException e) {
          missing.add(fake.getSimpleName() + "." + base.getName());
        }
      }
    }
    assertTrue(missing.isEmpty(), "fluent methods that lose the fake's type: " + missing);
  }
}
