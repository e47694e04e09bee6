package ai.spacebot.secrets;

/**
 * What a secret may be used for. A {@code system} secret (a model key, a bot token, a database password) is only
 * ever read by the server itself; a {@code tool} secret is handed to worker subprocesses as an environment
 * variable of its own name (for example {@code GITHUB_TOKEN}).
 */
public enum SecretCategory {
  SYSTEM, TOOL;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static SecretCategory parse(String text) {
    if (text == null) {
      return SYSTEM;
    }
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "system" -> SYSTEM;
      case "tool" -> TOOL;
      default -> throw new IllegalArgumentException("secret category must be system or tool, not '" + text + "'");
    };
  }
}
