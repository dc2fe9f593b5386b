package io.servicetoken.internal;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import retrofit2.Converter;
import retrofit2.Retrofit;

/**
 * Reads a response body completely (up to {@link #MAX_BODY_BYTES}) before parsing it, so that the two kinds of
 * failure stay apart: a connection dropped mid-body is an {@link IOException} (retryable), while a complete body
 * that does not parse is an {@link UnreadableBodyException} (malformed, not retried).
 */
final class BufferingConverterFactory extends Converter.Factory {
  /** No token response is anywhere near this large; a larger one is refused rather than held in memory. */
  static final long MAX_BODY_BYTES = 1024 * 1024;

  private final Converter.Factory delegate;
  private final @Nullable BodyFilter filter;

  BufferingConverterFactory(Converter.Factory delegate, @Nullable BodyFilter filter) {
    this.delegate = delegate;
    this.filter = filter;
  }

  @Override
  public @Nullable Converter<ResponseBody, ?> responseBodyConverter(
      Type type, Annotation[] annotations, Retrofit retrofit) {
    Converter<ResponseBody, ?> parser = delegate.responseBodyConverter(type, annotations, retrofit);
    if (parser == null) return null;
    return body -> {
      Buffer buffer = readAtMost(body);
      MediaType contentType = body.contentType();
      ResponseBody complete;
      if (filter != null) {
        complete = ResponseBody.create(filter.apply(buffer.readUtf8()), contentType);
      } else {
        complete = ResponseBody.create(buffer, contentType, buffer.size());
      }
      try {
        Object value = parser.convert(complete);
        if (value == null) throw new UnreadableBodyException("response body is empty or null");
        return value;
      } catch (JsonDataException e) {
        throw new UnreadableBodyException("response body has an unexpected shape: " + e.getMessage(), e);
      } catch (JsonEncodingException e) {
        throw new UnreadableBodyException("response body is not valid JSON", e);
      } catch (IOException e) {
        // The body is in memory: an IOException here is the parser running out of input (empty or truncated).
        throw new UnreadableBodyException("response body is empty or truncated JSON", e);
      } catch (RuntimeException e) {
        if (e instanceof UnreadableBodyException) throw e;
        throw new UnreadableBodyException("response body could not be read: " + e.getClass().getSimpleName(), e);
      }
    };
  }

  @Override
  public @Nullable Converter<?, RequestBody> requestBodyConverter(
      Type type, Annotation[] parameterAnnotations, Annotation[] methodAnnotations, Retrofit retrofit) {
    return delegate.requestBodyConverter(type, parameterAnnotations, methodAnnotations, retrofit);
  }

  private static Buffer readAtMost(ResponseBody body) throws IOException {
    try {
      BufferedSource source = body.source();
      Buffer buffer = new Buffer();
      while (buffer.size() <= MAX_BODY_BYTES) {
        if (source.read(buffer, 8192) == -1) return buffer;
      }
      throw new UnreadableBodyException("response body is larger than " + MAX_BODY_BYTES + " bytes");
    } finally {
      body.close();
    }
  }
}
