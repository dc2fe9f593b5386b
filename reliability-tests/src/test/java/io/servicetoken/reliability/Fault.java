package io.servicetoken.reliability;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.TokenException;
import io.servicetoken.TokenServiceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The faults a real token endpoint produces, each with what a user may rely on: the {@link TokenException} subclass,
 * whether it is retryable, and how long the call may take. docs/RELIABILITY.md prints this table.
 */
enum Fault {
  STATUS_400("HTTP 400", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 400));
    }
  },
  STATUS_401("HTTP 401", CredentialsRejectedException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 401));
    }
  },
  STATUS_403("HTTP 403", CredentialsRejectedException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 403));
    }
  },
  STATUS_404("HTTP 404", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 404));
    }
  },
  /** OkHttp itself repeats a request once after a 408, so the server answers 408 twice. */
  STATUS_408("HTTP 408 (twice: OkHttp repeats once)", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      List<MockResponse> twice = new ArrayList<>();
      twice.add(error(vendor, 408));
      twice.add(error(vendor, 408));
      return twice;
    }
  },
  STATUS_429("HTTP 429 with Retry-After: 1", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 429).setHeader("Retry-After", "1"));
    }
  },
  STATUS_500("HTTP 500", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 500));
    }
  },
  STATUS_502("HTTP 502", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 502));
    }
  },
  STATUS_503("HTTP 503", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 503));
    }
  },
  STATUS_504("HTTP 504", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 504));
    }
  },
  HTML_BODY("200 with an HTML page", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setHeader("Content-Type", "text/html").setBody(HTML));
    }
  },
  HTML_ERROR_PAGE("502 with a proxy's HTML page", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html").setBody(HTML));
    }
  },
  EMPTY_BODY("200 with an empty body", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(""));
    }
  },
  TRUNCATED_JSON("200 with truncated JSON", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      String healthy = vendor.healthy("truncated-token-value");
      return one(json(healthy.substring(0, healthy.length() / 2)));
    }
  },
  WRONG_TYPES("200 with an object where the token string belongs", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.body("{\"value\": [1, 2, 3]}")));
    }
  },
  MISSING_TOKEN("200 without the token field", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.bodyWithoutToken()));
    }
  },
  BLANK_TOKEN("200 with a blank token", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.body("\" \\t \"")));
    }
  },
  HUGE_SUCCESS_BODY("200 with a 10 MB body", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.body("\"" + TEN_MB + "\"")));
    }
  },
  HUGE_ERROR_BODY("500 with a 10 MB body", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json("{\"message\": \"" + TEN_MB + "\"}").setResponseCode(500));
    }
  },
  DISCONNECT_AT_START("connection dropped before the response", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    }
  },
  DISCONNECT_DURING_BODY("connection dropped in the middle of the body", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.healthy("cut-off-token-value"))
          .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    }
  },
  NO_RESPONSE("server never answers (client read timeout 500 ms)", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    }

    @Override
    long boundMillis() {
      return 2_000;
    }
  },
  REDIRECT_302("302 to another host (not followed)", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setResponseCode(302).setHeader("Location", servers.elsewhere.url("/steal")));
    }
  },
  REDIRECT_307("307 to another host (not followed)", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setResponseCode(307).setHeader("Location", servers.elsewhere.url("/steal")));
    }
  },
  TLS_UNTRUSTED("TLS, certificate the client does not trust", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.healthy("never-delivered")));
    }
  },
  TLS_TRUSTED("TLS, trusted certificate", null, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.healthy(TLS_TOKEN)));
    }
  };

  static final String TLS_TOKEN = "tls-token-value";

  static final String HTML =
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";

  static final String TEN_MB = repeat('a', 10 * 1024 * 1024);

  final String description;
  final @Nullable Class<? extends TokenException> expected;
  final boolean retryable;

  Fault(String description, @Nullable Class<? extends TokenException> expected, boolean retryable) {
    this.description = description;
    this.expected = expected;
    this.retryable = retryable;
  }

  /** What the server answers, in order, to the one call under test. */
  abstract List<MockResponse> responses(Vendor vendor, Servers servers);

  /** How long the call may take at most. */
  long boundMillis() {
    return 5_000;
  }

  boolean tls() {
    return this == TLS_UNTRUSTED || this == TLS_TRUSTED;
  }

  boolean redirect() {
    return this == REDIRECT_302 || this == REDIRECT_307;
  }

  /** The servers a case runs against: the token endpoint, and another host a redirect points to. */
  static final class Servers {
    final MockWebServer endpoint;
    final MockWebServer elsewhere;

    Servers(MockWebServer endpoint, MockWebServer elsewhere) {
      this.endpoint = endpoint;
      this.elsewhere = elsewhere;
    }
  }

  static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  static MockResponse error(Vendor vendor, int status) {
    return json(vendor.errorBody(status)).setResponseCode(status);
  }

  private static List<MockResponse> one(MockResponse response) {
    return Collections.singletonList(response);
  }

  private static String repeat(char c, int count) {
    char[] chars = new char[count];
    java.util.Arrays.fill(chars, c);
    return new String(chars);
  }
}
