package ai.spacebot.secrets;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every secret value this process holds in the clear, by name: the store's values once unlocked, and the
 * credentials the config took from the environment (model keys, bot tokens, the API token). It is the one list the
 * leak scrubber redacts from everything that leaves the process, and the one place the worker sandbox takes tool
 * secrets from. Thread-safe; {@link #version()} moves on every change so a scrubber can rebuild its matcher lazily.
 */
public final class KnownSecrets {
  /** Values shorter than this are not treated as secrets: redacting "abc" everywhere would mangle text. */
  public static final int MIN_LENGTH = 8;

  /** One known value. */
  public record Entry(String name, String value, SecretCategory category) {
  }

  private static final java.util.Map<io.vertx.core.Vertx, KnownSecrets> NODES = new java.util.WeakHashMap<>();

  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

  private final AtomicLong version = new AtomicLong();

  /**
   * This Vert.x instance's list (one per node, created on first use; held weakly by the Vertx). Every part of
   * the process that holds secrets in clear registers them here: the config's credentials at assembly, the
   * secret store's values on unlock.
   */
  public static KnownSecrets of(io.vertx.core.Vertx vertx) {
    synchronized (NODES) {
      return NODES.computeIfAbsent(vertx, v -> new KnownSecrets());
    }
  }

  /** Records a value under a name (replacing the previous one); blank or too-short values are ignored. */
  public void put(String name, String value, SecretCategory category) {
    if (name == null || value == null || value.strip().length() < MIN_LENGTH) {
      return;
    }
    Entry old = entries.put(name, new Entry(name, value, category));
    if (old == null || !old.equals(entries.get(name))) {
      version.incrementAndGet();
    }
  }

  public void remove(String name) {
    if (entries.remove(name) != null) {
      version.incrementAndGet();
    }
  }

  /** Forgets every value (the store was locked). */
  public void clear() {
    if (!entries.isEmpty()) {
      entries.clear();
      version.incrementAndGet();
    }
  }

  public Collection<Entry> all() {
    return List.copyOf(entries.values());
  }

  /** The tool secrets, which a worker subprocess gets as environment variables named after them. */
  public List<Entry> toolSecrets() {
    return entries.values().stream().filter(e -> e.category() == SecretCategory.TOOL).toList();
  }

  public long version() {
    return version.get();
  }
}
