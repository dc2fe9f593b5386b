package io.servicetoken.internal;

import com.squareup.moshi.Moshi;
import retrofit2.adapter.rxjava3.RxJava3CallAdapterFactory;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;

/** The Retrofit a vendor module declares its token endpoint on. */
public final class VendorRetrofit {
  private VendorRetrofit() {}

  /**
   * A Retrofit on {@code baseUrl} and {@code client} (see {@link TokenHttpClient}), with Moshi bodies read
   * completely before parsing and numbers of bounded length ({@link BoundedNumbers}), and a <em>synchronous</em>
   * RxJava 3 call adapter: a request runs on the thread that subscribes, never on a thread of the app's OkHttp
   * dispatcher.
   *
   * @param filter rewrites response bodies before parsing, or null
   */
  public static Retrofit create(HttpUrl baseUrl, OkHttpClient client, Moshi moshi, @Nullable BodyFilter filter) {
    return new Retrofit.Builder()
        .baseUrl(baseUrl)
        .client(client)
        .addConverterFactory(
            new BufferingConverterFactory(
                MoshiConverterFactory.create(moshi.newBuilder().add(BoundedNumbers.INSTANCE).build()), filter))
        .addCallAdapterFactory(RxJava3CallAdapterFactory.createSynchronous())
        .validateEagerly(true)
        .build();
  }
}
