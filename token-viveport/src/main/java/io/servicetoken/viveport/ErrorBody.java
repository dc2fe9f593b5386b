package io.servicetoken.viveport;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * What a VIVEPORT error body says, read leniently. The documentation prints no error body at all, only the
 * statuses (400, 403, 500), so any JSON object is accepted and the usual names are looked for: {@code code},
 * {@code errorCode}, {@code error_code} or a string {@code error} for the code; {@code message}, {@code
 * error_description}, {@code errorMessage}, {@code msg}, {@code detail} or {@code description} for the message,
 * at the top level or inside an {@code error} object. Anything else (HTML, an empty body, a body cut off) yields
 * neither, and the status alone decides.
 */
final class ErrorBody {
  /** Error bodies are short; a longer one is read only this far. */

  /** An error code longer than this is not a code. */
  private static final int MAX_CODE_LENGTH = 100;

  static final ErrorBody NONE = new ErrorBody(null, null);

  final @Nullable String code;
  final @Nullable String message;

  private ErrorBody(@Nullable String code, @Nullable String message) {
    this.code = code;
    this.message = message;
  }

  /** The code and message of an error body, as far as it is readable JSON; never throws. */
  static ErrorBody parse(String text) {
    Fields fields = new Fields();
    try {
      JsonReader reader = JsonReader.of(new Buffer().writeUtf8(text));
      reader.setLenient(true);
      if (reader.peek() == JsonReader.Token.BEGIN_OBJECT) readObject(reader, fields, 0);
    } catch (IOException | RuntimeException e) {
      // Not JSON, or not all of it: keep whatever was found before the problem.
    }
    if (fields.code == null && fields.message == null) return NONE;
    return new ErrorBody(fields.code, fields.message);
  }

  private static void readObject(JsonReader reader, Fields fields, int depth) throws IOException {
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      JsonReader.Token token = reader.peek();
      if (token == JsonReader.Token.BEGIN_OBJECT && depth == 0 && name.equals("error")) {
        readObject(reader, fields, depth + 1);
      } else if (token == JsonReader.Token.STRING || token == JsonReader.Token.NUMBER) {
        String value = reader.nextString();
        if (isCodeName(name) && fields.code == null && isCode(value)) {
          fields.code = value.trim();
        } else if (isMessageName(name) && fields.message == null && !value.trim().isEmpty()) {
          fields.message = value;
        }
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
  }

  private static boolean isCodeName(String name) {
    return name.equals("code") || name.equals("errorCode") || name.equals("error_code") || name.equals("error");
  }

  private static boolean isMessageName(String name) {
    return name.equals("message")
        || name.equals("error_description")
        || name.equals("errorMessage")
        || name.equals("msg")
        || name.equals("detail")
        || name.equals("description");
  }

  private static boolean isCode(String value) {
    String trimmed = value.trim();
    return !trimmed.isEmpty() && trimmed.length() <= MAX_CODE_LENGTH;
  }

  private static final class Fields {
    @Nullable String code;
    @Nullable String message;
  }
}
