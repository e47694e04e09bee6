package ai.spacebot.config;

/** A configuration problem, worded for the operator: the key, what is wrong, and where it was set. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
