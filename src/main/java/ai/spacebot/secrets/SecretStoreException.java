package ai.spacebot.secrets;

/** A secret-store operation refused for a reason the operator can act on; {@link #kind} maps to an HTTP status. */
public final class SecretStoreException extends RuntimeException {
  public enum Kind {
    /** A bad name, an empty value, the wrong kind of key for this store (400). */
    BAD_INPUT(400),
    /** The passphrase or key file does not open this store (403). */
    WRONG_KEY(403),
    /** No such secret (404). */
    NOT_FOUND(404),
    /** The store is locked, or not encrypted, or already encrypted, for what was asked (409). */
    CONFLICT(409);

    public final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  private final Kind kind;

  public SecretStoreException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
