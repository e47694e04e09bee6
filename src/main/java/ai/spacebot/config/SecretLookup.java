package ai.spacebot.config;

/**
 * Where {@code secret:NAME} config values come from: the secret store, once it is open. Until then (and for commands
 * that never open it) every reference is {@link Kind#WAITING}.
 */
@FunctionalInterface
public interface SecretLookup {
  enum Kind {
    /** The value is readable. */
    FOUND,
    /** The secret exists but cannot be read now: the store is locked (or not opened yet). */
    WAITING,
    /** There is no such secret: a configuration error. */
    MISSING
  }

  record Result(Kind kind, String value) {
    public static Result found(String value) {
      return new Result(Kind.FOUND, value);
    }

    public static final Result WAITING = new Result(Kind.WAITING, null);
    public static final Result MISSING = new Result(Kind.MISSING, null);

    @Override
    public String toString() {
      return "Result[" + kind + "]";
    }
  }

  Result find(String name);

  /** Before the store is open: nothing is known yet, nothing is an error yet. */
  SecretLookup DEFERRED = name -> Result.WAITING;
}
