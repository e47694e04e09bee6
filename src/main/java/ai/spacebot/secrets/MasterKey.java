package ai.spacebot.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Where the store's 256-bit key comes from: a passphrase through Argon2id, or a key file. Both are slow or touch
 * the disk: call them off the event loop.
 */
public final class MasterKey {
  /** A key file must hold at least this many bytes of key material. */
  static final int MIN_KEY_FILE_BYTES = 32;
  private static final byte[] KEY_FILE_DOMAIN = "spacebot key file v1\n".getBytes(StandardCharsets.US_ASCII);
  private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE);

  private MasterKey() {}

  /** Argon2id (version 1.3) of the passphrase, as UTF-8. */
  public static byte[] fromPassphrase(char[] passphrase, KdfParams params) {
    if (passphrase.length == 0) {
      throw new KeyException("the passphrase is empty");
    }
    Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(params.salt())
        .withMemoryAsKB(params.memoryKib())
        .withIterations(params.iterations())
        .withParallelism(params.parallelism())
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(p);
    byte[] key = new byte[SecretCipher.KEY_BYTES];
    generator.generateBytes(passphrase, key);
    return key;
  }

  /**
   * The key from a key file that only its owner may read or write (0600 or stricter). Any content of at least 32
   * bytes is hashed (SHA-256) into the key, so a file written by {@link #createKeyFile} or by
   * {@code head -c 32 /dev/urandom} both work.
   */
  public static byte[] fromKeyFile(Path file) {
    byte[] content;
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new KeyException("key file " + file + " may be read by others (mode " + PosixFilePermissions.toString(perms)
            + "); restrict it with: chmod 600 " + file);
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyException("key file " + file + " does not exist");
    } catch (UnsupportedOperationException e) {
      throw new KeyException("key file " + file + " is on a file system without POSIX permissions; it cannot be checked");
    } catch (IOException e) {
      throw new KeyException("cannot read key file " + file + ": " + e.getMessage());
    }
    try {
      if (content.length < MIN_KEY_FILE_BYTES) {
        throw new KeyException("key file " + file + " holds " + content.length + " bytes; it needs at least "
            + MIN_KEY_FILE_BYTES + " (create one with: spacebot secrets encrypt --key-file " + file + ")");
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(KEY_FILE_DOMAIN);
      return sha.digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /** Writes a new key file with 32 random bytes (base64) and mode 0600; refuses to overwrite one. */
  public static void createKeyFile(Path file) {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.write(file, (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new KeyException("key file " + file + " exists already; remove it or name another");
    } catch (IOException e) {
      throw new KeyException("cannot create key file " + file + ": " + e.getMessage());
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** The operator's key material is unusable; the message says what to fix. */
  public static final class KeyException extends RuntimeException {
    public KeyException(String message) {
      super(message, null, false, false);
    }
  }
}
