package ai.spacebot.secrets;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Applies a text redaction to every string inside a JSON value (keys stay: they are ours, not content). */
public final class JsonRedaction {
  private JsonRedaction() {}

  /** A copy of {@code json} with {@code redact} applied to each string value; the same object when none changed. */
  public static JsonObject apply(JsonObject json, UnaryOperator<String> redact) {
    if (json == null) {
      return null;
    }
    JsonObject out = null;
    for (Map.Entry<String, Object> e : json) {
      Object value = e.getValue();
      Object redacted = value(value, redact);
      if (redacted != value) {
        if (out == null) {
          out = json.copy();
        }
        out.put(e.getKey(), redacted);
      }
    }
    return out == null ? json : out;
  }

  private static JsonArray apply(JsonArray array, UnaryOperator<String> redact) {
    JsonArray out = null;
    for (int i = 0; i < array.size(); i++) {
      Object value = array.getValue(i);
      Object redacted = value(value, redact);
      if (redacted != value) {
        if (out == null) {
          out = array.copy();
        }
        out.set(i, redacted);
      }
    }
    return out == null ? array : out;
  }

  private static Object value(Object value, UnaryOperator<String> redact) {
    if (value instanceof String s) {
      String r = redact.apply(s);
      return r.equals(s) ? value : r;
    }
    if (value instanceof JsonObject o) {
      return apply(o, redact);
    }
    if (value instanceof JsonArray a) {
      return apply(a, redact);
    }
    return value;
  }

  /** The first credential pattern found in any string of {@code json}. */
  public static Optional<LeakPattern> leak(JsonObject json, SecretScrubber scrubber) {
    if (json == null) {
      return Optional.empty();
    }
    Optional<LeakPattern>[] found = new Optional[] {Optional.empty()};
    apply(json, s -> {
      if (found[0].isEmpty()) {
        found[0] = scrubber.leak(s);
      }
      return s;
    });
    return found[0];
  }
}
