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

  /** Like {@link #requiredString} but an empty or blank string is a valid value (file contents, replacements). */
  public static String requiredStringMayBeEmpty(JsonObject args, String name) {
    Object value = args.getValue(name);
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("argument \"" + name + "\" is required and must be a string");
    }
    return s;
  }

  /** A whole number; models sometimes send {@code 5.0} or {@code "5"}, which mean the same and are accepted. */
  public static Integer optionalInteger(JsonObject args, String name) {
    Object value = args.getValue(name);
    if (value == null) {
      return null;
    }
    String wrong = "argument \"" + name + "\" must be a whole number";
    if (value instanceof String s) {
      try {
        return Integer.valueOf(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(wrong);
      }
    }
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(wrong);
    }
    double d = n.doubleValue();
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(wrong);
    }
    return (int) d;
  }

  /** A boolean; the strings {@code "true"} and {@code "false"} are accepted as well. */
  public static Boolean optionalBoolean(JsonObject args, String name) {
    Object value = args.getValue(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.valueOf(s);
    }
    throw new IllegalArgumentException("argument \"" + name + "\" must be true or false");
  }
}
