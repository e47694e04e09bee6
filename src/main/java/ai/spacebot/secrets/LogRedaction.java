package ai.spacebot.secrets;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The scrubbers log output goes through. Logging is configured once per JVM (logback.xml), before any
 * application exists, so the layout cannot be handed a scrubber: each {@link SecretScrubber#of} registers here
 * instead (weakly: a closed application's scrubber goes away with it).
 */
public final class LogRedaction {
  private static final Set<SecretScrubber> SCRUBBERS = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));

  private LogRedaction() {}

  static void register(SecretScrubber scrubber) {
    SCRUBBERS.add(scrubber);
  }

  /** {@code line} with every registered scrubber's known values and every credential pattern redacted. */
  public static String scrub(String line) {
    String out = line;
    SecretScrubber[] all;
    synchronized (SCRUBBERS) {
      all = SCRUBBERS.toArray(SecretScrubber[]::new);
    }
    for (SecretScrubber s : all) {
      out = s.redact(out);
    }
    return LeakPatterns.redact(out);
  }
}
