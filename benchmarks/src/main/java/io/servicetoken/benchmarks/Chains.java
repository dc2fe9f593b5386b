package io.servicetoken.benchmarks;

import java.lang.reflect.Proxy;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A minimal {@link Interceptor.Chain} that answers every {@code proceed} with one canned 200 response and never
 * touches the network. A dynamic proxy, so it compiles against OkHttp 4.12 and 5.x alike (5.x adds methods to the
 * interface).
 */
final class Chains {
  private Chains() {}

  static Interceptor.Chain canned(Request request) {
    Call call = new OkHttpClient().newCall(request); // never executed: the interceptor only reads its timeout
    Response response = new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .body(ResponseBody.create("", null))
        .build();
    return (Interceptor.Chain) Proxy.newProxyInstance(
        Chains.class.getClassLoader(),
        new Class<?>[] {Interceptor.Chain.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "request":
              return request;
            case "proceed":
              return response;
            case "call":
              return call;
            case "connection":
              return null; // an application interceptor's chain, as apps install AuthorizationInterceptor
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}
