package ai.spacebot.api;

import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Parsing and validation of request input; each failure names the field. */
final class PortalRequests {
  static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");

  private PortalRequests() {}

  /** The configured agent of that id; else a 400 naming the field and the known agents. */
  static AgentConfig agent(SpacebotConfig config, String id, String field) {
    return config.agent(id).orElseThrow(() -> ApiError.badRequest(field, "unknown " + field + " \"" + id + "\"; known: "
        + String.join(", ", config.agents().stream().map(AgentConfig::id).toList())));
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.badRequest(null, "request body must be a JSON object");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ApiError.badRequest(null, "request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject json)) {
      throw ApiError.badRequest(null, "request body must be a JSON object");
    }
    return json;
  }

  static String requiredString(JsonObject body, String field, int maxChars) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ApiError.badRequest(field, field + " is required");
    }
    if (!(value instanceof String s)) {
      throw ApiError.badRequest(field, field + " must be a string");
    }
    if (s.isBlank()) {
      throw ApiError.badRequest(field, field + " must not be empty");
    }
    if (s.length() > maxChars) {
      throw ApiError.badRequest(field, field + " must be at most " + maxChars + " characters");
    }
    return s;
  }

  static String optionalString(JsonObject body, String field, int maxChars) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > maxChars) {
      throw ApiError.badRequest(field, field + " must be a non-empty string of at most " + maxChars + " characters");
    }
    return s;
  }

  static String sessionId(String value, String field) {
    if (!SESSION_ID.matcher(value).matches()) {
      throw ApiError.badRequest(field, field + " may contain only letters, digits and . _ ~ - (at most 128)");
    }
    return value;
  }

  static String message(JsonObject body, int maxBytes) {
    Object value = body.getValue("message");
    if (value == null) {
      throw ApiError.badRequest("message", "message is required");
    }
    if (!(value instanceof String s)) {
      throw ApiError.badRequest("message", "message must be a string");
    }
    if (s.isBlank()) {
      throw ApiError.badRequest("message", "message must not be empty");
    }
    if (s.length() > maxBytes / 4 && s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw new ApiError(413, "message", "message is larger than " + maxBytes + " bytes");
    }
    return s;
  }

  static String queryParam(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest(name, "query parameter " + name + " is required");
    }
    return value;
  }

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw ApiError.badRequest(name, name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name, name + " must be a whole number");
    }
  }
}
