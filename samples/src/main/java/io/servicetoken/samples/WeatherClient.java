package io.servicetoken.samples;

import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.TokenProvider;
import java.io.IOException;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A tiny app: it calls a weather API that wants a vendor's token as {@code Authorization: Bearer ...}. The token
 * handling is one line, {@link AuthorizationInterceptor#of(TokenProvider)}; everything else is ordinary OkHttp.
 *
 * <pre>{@code
 * WeatherClient weather = new WeatherClient(HttpUrl.get("https://api.example.com/"), provider);
 * String json = weather.currentWeather("Oslo");
 * }</pre>
 */
public final class WeatherClient {
  private final HttpUrl baseUrl;
  private final OkHttpClient client;

  /**
   * A client of the API at {@code baseUrl}, authorized with {@code provider}'s tokens.
   *
   * @param baseUrl the API's base URL
   * @param provider where tokens come from
   */
  public WeatherClient(HttpUrl baseUrl, TokenProvider provider) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl == null");
    this.client = new OkHttpClient.Builder()
        .addInterceptor(AuthorizationInterceptor.of(Objects.requireNonNull(provider, "provider == null")))
        .build();
  }

  /**
   * {@code GET v1/weather?city=...}.
   *
   * @param city the city
   * @return the API's JSON answer
   * @throws IOException when the API fails or answers other than 2xx; when no token could be had, the cause is the
   *     {@link io.servicetoken.TokenException} (the interceptor's contract)
   */
  public String currentWeather(String city) throws IOException {
    HttpUrl url = baseUrl.newBuilder().addPathSegments("v1/weather").addQueryParameter("city", city).build();
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (!response.isSuccessful()) throw new IOException("weather API answered " + response.code() + ": " + text);
      return text;
    }
  }

  /** Releases the client's threads and connections, so a JVM can exit promptly. */
  public void shutdown() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
