package ai.spacebot.secrets;

import java.security.SecureRandom;

/**
 * Argon2id settings of a passphrase-derived key, stored with the store so that a later build with other defaults
 * still opens it.
 *
 * @param memoryKib memory cost in KiB (64 MiB by default: what makes guessing expensive on GPUs)
 * @param salt 16 random bytes, new for every key (a new one on each rotation)
 */
public record KdfParams(int memoryKib, int iterations, int parallelism, byte[] salt) {
  public static final int MEMORY_KIB = 64 * 1024;
  public static final int ITERATIONS = 3;
  public static final int PARALLELISM = 1;
  public static final int SALT_BYTES = 16;

  /** The defaults with a fresh random salt. */
  public static KdfParams fresh() {
    byte[] salt = new byte[SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    return new KdfParams(MEMORY_KIB, ITERATIONS, PARALLELISM, salt);
  }

  @Override
  public String toString() {
    return "Argon2id(m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism + ")";
  }
}
