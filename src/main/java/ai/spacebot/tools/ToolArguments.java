package ai.spacebot.tools;

import io.vertx.core.json.JsonObject;

/** Reads a tool's JSON arguments; a wrong or missing argument becomes a message the model can act on. */
public final class ToolArguments {
  private ToolArguments() {}

  public static String requiredString(JsonObject args, String name) {
    Object value = args.getValue(name);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("argument \"" + name + "\" is required and must be a non-empty string");
    }
    return s;
  }

  public static String optionalString(JsonObject args, String name) {
    Object value = args.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("argument \"" + name + "\" must be a string");
    }
    return s;
  }
}
