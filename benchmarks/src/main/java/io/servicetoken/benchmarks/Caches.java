package io.servicetoken.benchmarks;

import com.azure.core.credential.SimpleTokenCache;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.OAuth2Credentials;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.utils.cache.CachedSupplier;
import software.amazon.awssdk.utils.cache.RefreshResult;

/**
 * The caches under test, each wrapped as a blocking "give me the token value" call, all fed by one {@link Fetcher}.
 * Every token value ends with its expiry in epoch milliseconds, so a harness can tell whether a value it was handed
 * had already expired without asking the cache.
 */
final class Caches {
  static final URI URI = java.net.URI.create("https://api.example.com/v1/things");

  private Caches() {}

  /** One blocking token request. */
  interface Cache extends AutoCloseable {
    String name();

    /** The token value handed out now; blocks while the cache fetches. */
    String get() throws Exception;

    @Override
    default void close() {}
  }

  /** A simulated token endpoint: counts requests, takes {@code latency}, issues tokens living {@code lifetime}. */
  static final class Fetcher {
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicLong sequence = new AtomicLong();
    final Duration latency;
    final Duration lifetime;

    Fetcher(Duration latency, Duration lifetime) {
      this.latency = latency;
      this.lifetime = lifetime;
    }

    /** Blocks for the latency (the stand-in for a token request's network I/O), then issues a token. */
    String fetchValue() {
      fetches.incrementAndGet();
      if (!latency.isZero()) {
        try {
          Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      long expiry = System.currentTimeMillis() + lifetime.toMillis();
      return "tok-" + sequence.incrementAndGet() + "-" + expiry;
    }
  }

  static long expiryOf(String value) {
    return Long.parseLong(value.substring(value.lastIndexOf('-') + 1));
  }

  static Token token(String value) {
    long now = System.currentTimeMillis();
    return Token.builder(value)
        .receivedAt(Instant.ofEpochMilli(now))
        .expiresAt(Instant.ofEpochMilli(expiryOf(value)))
        .build();
  }

  /** Ours, with the default policies and scheduler. */
  static Cache ours(Fetcher fetcher) {
    TokenProvider provider = TokenProvider.create(() -> Single.fromCallable(() -> token(fetcher.fetchValue())));
    return new Cache() {
      @Override
      public String name() {
        return "servicetoken TokenProvider";
      }

      @Override
      public String get() {
        return provider.token().blockingGet().value();
      }

      @Override
      public void close() {
        provider.close();
      }
    };
  }

  /**
   * Google's {@code OAuth2Credentials} as a service-account credential is: a subclass whose {@code
   * refreshAccessToken} asks the endpoint. {@code margins} null keeps Google's defaults (refresh 3 min 45 s ahead,
   * stop using 3 min ahead); else {refresh, expiration} margins.
   */
  static Cache google(Fetcher fetcher, Duration[] margins) {
    OAuth2Credentials credentials = margins == null
        ? new FetchingGoogleCredentials(fetcher)
        : new FetchingGoogleCredentials(fetcher, margins[0], margins[1]);
    return new Cache() {
      @Override
      public String name() {
        return margins == null ? "Google OAuth2Credentials (default margins)" : "Google OAuth2Credentials (our margins)";
      }

      @Override
      public String get() throws IOException {
        Map<String, List<String>> metadata = credentials.getRequestMetadata(URI);
        String header = metadata.get("Authorization").get(0);
        return header.substring(header.indexOf(' ') + 1);
      }
    };
  }

  static final class FetchingGoogleCredentials extends OAuth2Credentials {
    private static final long serialVersionUID = 1L;
    private final transient Fetcher fetcher;

    FetchingGoogleCredentials(Fetcher fetcher) {
      this.fetcher = fetcher;
    }

    FetchingGoogleCredentials(Fetcher fetcher, Duration refreshMargin, Duration expirationMargin) {
      super(null, refreshMargin, expirationMargin);
      this.fetcher = fetcher;
    }

    @Override
    public AccessToken refreshAccessToken() {
      String value = fetcher.fetchValue();
      return new AccessToken(value, new Date(expiryOf(value)));
    }
  }

  /** Azure's {@code SimpleTokenCache} (what azure-core's credential policies use), with its defaults. */
  static Cache azure(Fetcher fetcher) {
    SimpleTokenCache cache = new SimpleTokenCache(() -> Mono.fromCallable(() -> {
      String value = fetcher.fetchValue();
      return new com.azure.core.credential.AccessToken(
          value, OffsetDateTime.ofInstant(Instant.ofEpochMilli(expiryOf(value)), ZoneOffset.UTC));
    }));
    return new Cache() {
      @Override
      public String name() {
        return "Azure SimpleTokenCache";
      }

      @Override
      public String get() {
        return cache.getToken().block().getToken();
      }
    };
  }

  /**
   * AWS's {@code CachedSupplier} with its default prefetch strategy ({@code OneCallerBlocks}); stale and prefetch
   * times set like our defaults for the token's lifetime (unusable 10% before expiry, refreshed from 25% before).
   */
  static Cache aws(Fetcher fetcher) {
    long lifetime = fetcher.lifetime.toMillis();
    long margin = Math.min(30_000, lifetime / 10);
    long window = Math.min(300_000, lifetime / 4);
    CachedSupplier<String> supplier = CachedSupplier.builder(() -> {
      String value = fetcher.fetchValue();
      long expiry = expiryOf(value);
      return RefreshResult.builder(value)
          .staleTime(Instant.ofEpochMilli(expiry - margin))
          .prefetchTime(Instant.ofEpochMilli(expiry - window))
          .build();
    }).build();
    return new Cache() {
      @Override
      public String name() {
        return "AWS CachedSupplier (OneCallerBlocks)";
      }

      @Override
      public String get() {
        return supplier.get();
      }

      @Override
      public void close() {
        supplier.close();
      }
    };
  }
}
