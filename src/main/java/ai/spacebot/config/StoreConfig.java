package ai.spacebot.config;

/** Where data lives: {@code embedded} (SQLite under the data dir) or {@code postgres}. */
public record StoreConfig(String kind, String postgresUrl) {
  public static final String EMBEDDED = "embedded";
  public static final String POSTGRES = "postgres";
}
