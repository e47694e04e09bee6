package ai.spacebot.testkit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * A Bot API call's parameters, however they came (query, JSON, form, multipart): Telegram accepts numbers as
 * strings and nested objects as JSON strings, and so does this. Uploaded files are kept apart, by field name.
 */
record TelegramParams(JsonObject json, Map<String, Upload> files) {
  record Upload(String fileName, String contentType, byte[] bytes) {}

  private static final Set<String> JSON_FIELDS = Set.of("reply_markup", "entities", "caption_entities",
      "reply_parameters", "allowed_updates", "commands", "reaction", "options", "scope", "link_preview_options",
      "question_entities", "media");

  /** Parses the JSON-valued fields that arrived as strings (form and multipart bodies). */
  static TelegramParams of(JsonObject raw, Map<String, Upload> files) throws TelegramApiError {
    JsonObject json = raw.copy();
    for (String field : JSON_FIELDS) {
      if (json.getValue(field) instanceof String s) {
        try {
          json.put(field, s.trim().startsWith("[") ? new JsonArray(s) : new JsonObject(s));
        } catch (DecodeException e) {
          throw new TelegramApiError(400, "Bad Request: can't parse " + field + " JSON object");
        }
      }
    }
    return new TelegramParams(json, Map.copyOf(files));
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  String string(String name) {
    Object v = json.getValue(name);
    return v == null ? null : v.toString();
  }

  Integer integer(String name) throws TelegramApiError {
    Long v = number(name);
    return v == null ? null : Math.toIntExact(v);
  }

  Long number(String name) throws TelegramApiError {
    Object v = json.getValue(name);
    if (v == null || v instanceof Number) {
      return v == null ? null : ((Number) v).longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new TelegramApiError(400, "Bad Request: invalid " + name + " specified");
    }
  }

  boolean flag(String name) {
    Object v = json.getValue(name);
    return v instanceof Boolean b ? b : v != null && v.toString().equalsIgnoreCase("true");
  }

  JsonObject object(String name) {
    return json.getValue(name) instanceof JsonObject o ? o : null;
  }

  JsonArray array(String name) {
    return json.getValue(name) instanceof JsonArray a ? a : null;
  }
}
