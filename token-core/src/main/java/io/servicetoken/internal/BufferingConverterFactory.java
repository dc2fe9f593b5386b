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
 * that does not parse is an {@link UnreadableBodyException} (malformed, not retried). The parser's exception is
 * not passed on as it is: its message may quote a value of the body (the issued token, or a field of any size).
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
        throw new UnreadableBodyException(
            "response body has an unexpected shape: " + withoutValue(e.getMessage()), valueFree(e, true));
      } catch (JsonEncodingException e) {
        throw new UnreadableBodyException("response body is not valid JSON", valueFree(e, true));
      } catch (IOException e) {
        // The body is in memory: an IOException here is the parser running out of input (empty or truncated).
        throw new UnreadableBodyException("response body is empty or truncated JSON", valueFree(e, true));
      } catch (RuntimeException e) {
        if (e instanceof UnreadableBodyException) throw e;
        throw new UnreadableBodyException(
            "response body could not be read: " + e.getClass().getSimpleName(), valueFree(e, false));
      }
    };
  }

  @Override
  public @Nullable Converter<?, RequestBody> requestBodyConverter(
      Type type, Annotation[] parameterAnnotations, Annotation[] methodAnnotations, Retrofit retrofit) {
    return delegate.requestBodyConverter(type, parameterAnnotations, methodAnnotations, retrofit);
  }

  /**
   * A parser's message without the value it quotes: Moshi writes {@code Expected a long but was <value> at path
   * $.expire}, and the value may be the issued token or a field of any size. The path stays.
   */
  static String withoutValue(@Nullable String message) {
    if (message == null) return "";
    int butWas = message.indexOf(" but was ");
    if (butWas < 0) return message;
    int atPath = message.lastIndexOf(" at path ");
    return message.substring(0, butWas) + (atPath > butWas ? message.substring(atPath) : "");
  }

  /**
   * A stand-in for the parser's exception, with its class name, stack trace and (Moshi's only, {@code
   * moshiMessage}) its message without the quoted value: the original may quote the token.
   */
  private static Throwable valueFree(Throwable parserFailure, boolean moshiMessage) {
    String message = parserFailure.getClass().getName()
        + (moshiMessage ? ": " + withoutValue(parserFailure.getMessage()) : "");
    Throwable copy = new Redaction.RedactedException(message, null);
    copy.setStackTrace(parserFailure.getStackTrace());
    return copy;
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
