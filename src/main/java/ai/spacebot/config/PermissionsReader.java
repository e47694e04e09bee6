package ai.spacebot.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code permissions:} (the default for every agent) and an agent's own, and {@code channel.rate_limit}. */
final class PermissionsReader {
  static final Set<String> KEYS = Set.of("authority", "allowed", "everyone", "everyone_answered");
  static final Set<String> RATE_LIMIT_KEYS = Set.of("sender_capacity", "sender_per_minute", "conversation_capacity",
      "conversation_per_minute", "authority_exempt");

  private PermissionsReader() {}

  /** {@code path} in {@code t} (e.g. {@code permissions}), each group falling back to {@code base}'s. */
  static Permissions read(ConfigTree t, String path, Permissions base) {
    for (String key : t.keys(path)) {
      if (!KEYS.contains(key)) {
        throw t.fail(path + "." + key, t.find(path + "." + key), "is not a known key; known keys here: "
            + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    return new Permissions(tools(t, path + ".authority", base.authority()), tools(t, path + ".allowed", base.allowed()),
        tools(t, path + ".everyone", base.everyone()), t.bool(path + ".everyone_answered", base.everyoneAnswered()));
  }

  /** A list of tool names, or {@code all}; an unknown name is an error that lists the known ones. */
  private static Set<String> tools(ConfigTree t, String path, Set<String> fallback) {
    if (t.find(path) == null) {
      return fallback;
    }
    List<String> names = t.strings(path);
    if (names.size() == 1 && names.get(0).equals("all")) {
      return Set.copyOf(Permissions.TOOLS);
    }
    Set<String> out = new LinkedHashSet<>();
    for (String name : names) {
      if (!Permissions.TOOLS.contains(name)) {
        throw t.fail(path, t.find(path), "names an unknown tool \"" + name + "\"; tools: all, "
            + String.join(", ", Permissions.TOOLS));
      }
      out.add(name);
    }
    return out;
  }

  static RateLimitSettings rateLimit(ConfigTree t) {
    String p = "channel.rate_limit.";
    return new RateLimitSettings(t.integer(p + "sender_capacity", 10, 0, 1_000_000),
        t.decimal(p + "sender_per_minute", 10, 0, 1_000_000), t.integer(p + "conversation_capacity", 30, 0, 1_000_000),
        t.decimal(p + "conversation_per_minute", 30, 0, 1_000_000), t.bool(p + "authority_exempt", true));
  }
}
