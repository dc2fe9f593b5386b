package io.servicetoken.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a number (or a string where a number belongs) of more than {@link #MAX_NUMBER_CHARS} characters before
 * Moshi parses it. Moshi reads a {@code long} it cannot parse directly through {@code new BigDecimal(text)}, whose
 * cost grows with the square of the digits: a 900 kB run of digits in {@code expires_in} took 12 to 16 s of CPU per
 * response. No expiry needs more than a few digits; the error is a malformed response like any other shape error.
 */
final class BoundedNumbers implements JsonAdapter.Factory {
  static final BoundedNumbers INSTANCE = new BoundedNumbers();

  /** Far beyond any long (20 characters) or double ("-1.7976931348623157E308", 23) a token response sends. */
  static final int MAX_NUMBER_CHARS = 40;

  private static final List<Type> NUMBER_TYPES =
      Arrays.<Type>asList(
          Long.class, long.class, Integer.class, int.class, Double.class, double.class, Float.class, float.class,
          Short.class, short.class);

  private BoundedNumbers() {}

  @Override
  public @Nullable JsonAdapter<?> create(Type type, Set<? extends Annotation> annotations, Moshi moshi) {
    if (!annotations.isEmpty() || !NUMBER_TYPES.contains(type)) return null;
    JsonAdapter<Object> standard = moshi.nextAdapter(this, type, annotations);
    return new JsonAdapter<Object>() {
      @Override
      public @Nullable Object fromJson(JsonReader reader) throws IOException {
        JsonReader.Token token = reader.peek();
        if (token == JsonReader.Token.NUMBER || token == JsonReader.Token.STRING) {
          JsonReader ahead = reader.peekJson();
          String text = ahead.nextString();
          if (text.length() > MAX_NUMBER_CHARS) {
            throw new JsonDataException(
                "Expected a number of at most " + MAX_NUMBER_CHARS + " characters at path " + reader.getPath());
          }
        }
        return standard.fromJson(reader);
      }

      @Override
      public void toJson(JsonWriter writer, @Nullable Object value) throws IOException {
        standard.toJson(writer, value);
      }

      @Override
      public String toString() {
        return standard + ".bounded()";
      }
    };
  }
}
