package io.servicetoken.singleview;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * What an HTTP error's body says, read leniently: SingleView documents no error shape, so anything that is not a
 * JSON object, or fields of unexpected types, simply yield nulls and the status alone classifies the failure.
 *
 * <p>The message is {@code message} (else {@code error_description}); the code is {@code errorCode} (else {@code
 * error}, as an OAuth gateway in front of the service would send it). Strings and numbers are accepted.
 */
final class ErrorBody {
  /** Error bodies are explanations, not payloads: anything beyond this is not read. */

  private static final ErrorBody NONE = new ErrorBody(null, null);

  final @Nullable String errorCode;
  final @Nullable String message;

  private ErrorBody(@Nullable String errorCode, @Nullable String message) {
    this.errorCode = errorCode;
    this.message = message;
  }

  static ErrorBody parse(String text) {
    String message = null;
    String errorDescription = null;
    String errorCode = null;
    String error = null;
    try {
      JsonReader reader = JsonReader.of(new Buffer().writeUtf8(LeadingZeroFilter.INSTANCE.apply(text)));
      reader.setLenient(true);
      if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) return NONE;
      reader.beginObject();
      while (reader.hasNext()) {
        String name = reader.nextName();
        JsonReader.Token next = reader.peek();
        if (next != JsonReader.Token.STRING && next != JsonReader.Token.NUMBER) {
          reader.skipValue();
          continue;
        }
        String value = reader.nextString();
        switch (name) {
          case "message":
            message = value;
            break;
          case "error_description":
            errorDescription = value;
            break;
          case "errorCode":
            errorCode = value;
            break;
          case "error":
            error = value;
            break;
          default:
            break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // A truncated or garbled body: keep whatever was read before it broke off.
    }
    return new ErrorBody(
        blankToNull(errorCode != null ? errorCode : error),
        blankToNull(message != null ? message : errorDescription));
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.trim().isEmpty() ? null : value;
  }
}
