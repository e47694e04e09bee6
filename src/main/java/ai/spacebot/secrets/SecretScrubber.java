package ai.spacebot.secrets;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Redacts what must not leave the process: every known secret value (in each of its {@link SecretEncodings
 * forms}) becomes {@code [REDACTED:NAME]}, and {@link #redactAll} also redacts {@link LeakPattern credential
 * formats}. The matcher is built from {@link KnownSecrets} lazily, on the first use after its
 * {@link KnownSecrets#version() version} moved; in between a call costs one pass over the text.
 *
 * <p>One per Vert.x instance ({@link #of(Vertx)}), over that instance's {@link KnownSecrets#of(Vertx)}; each is
 * also registered with {@link LogRedaction} so log lines are scrubbed with it. Thread-safe.
 */
public final class SecretScrubber {
  private static final Map<Vertx, SecretScrubber> SCRUBBERS = new WeakHashMap<>();

  private final KnownSecrets secrets;
  private volatile Compiled compiled = new Compiled(-1, Redactor.EMPTY);

  private record Compiled(long version, Redactor redactor) {}

  public SecretScrubber(KnownSecrets secrets) {
    this.secrets = secrets;
  }

  /** This Vert.x instance's scrubber, created on first use. */
  public static SecretScrubber of(Vertx vertx) {
    synchronized (SCRUBBERS) {
      return SCRUBBERS.computeIfAbsent(vertx, v -> {
        SecretScrubber scrubber = new SecretScrubber(KnownSecrets.of(v));
        LogRedaction.register(scrubber);
        return scrubber;
      });
    }
  }

  public KnownSecrets secrets() {
    return secrets;
  }

  Redactor redactor() {
    Compiled c = compiled;
    long version = secrets.version();
    if (c.version() != version) {
      synchronized (this) {
        c = compiled;
        if (c.version() != version) {
          c = new Compiled(version, Redactor.build(secrets.all()));
          compiled = c;
        }
      }
    }
    return c.redactor();
  }

  /** Known values redacted; null stays null. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return redactor().redact(text);
  }

  /** Known values and credential patterns redacted (events, logs). */
  public String redactAll(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return LeakPatterns.redact(redactor().redact(text));
  }

  /** The credential format {@code text} holds, if any (checked after known values are redacted). */
  public Optional<LeakPattern> leak(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    return LeakPatterns.first(redactor().redact(text));
  }

  /** Whether any known value occurs in {@code text} (in any of its forms). */
  public boolean holdsKnownValue(String text) {
    return text != null && !redactor().spans(text).isEmpty();
  }

  List<Redactor.Span> spans(String text) {
    return redactor().spans(text);
  }
}
