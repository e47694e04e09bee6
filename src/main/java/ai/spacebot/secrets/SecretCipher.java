package ai.spacebot.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over one secret value. Each value gets a fresh 12-byte nonce, stored in front of the ciphertext; the
 * secret's name is the associated data, so a ciphertext copied to another row (two values swapped) fails to
 * decrypt instead of silently becoming the other secret.
 */
public final class SecretCipher {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Associated data of the key verifier: no secret can have this name (names are [A-Z][A-Z0-9_]*). */
  private static final String VERIFIER_NAME = "\u0000spacebot-key-verifier";
  private static final byte[] VERIFIER_PLAIN = "spacebot secret store key v1".getBytes(StandardCharsets.US_ASCII);

  private final SecretKeySpec key;

  public SecretCipher(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** nonce || ciphertext || tag. */
  public byte[] encrypt(String name, byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain);
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * @throws UnreadableException when the key is wrong, the bytes were changed, or they belong to another name
   */
  public byte[] decrypt(String name, byte[] sealed) {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new UnreadableException(name);
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new UnreadableException(name);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /** A known block under this key: stored with the store, so a wrong key is told apart from damaged values. */
  public byte[] verifier() {
    return encrypt(VERIFIER_NAME, VERIFIER_PLAIN);
  }

  /** Whether {@code verifier} was made by {@link #verifier()} under this same key. */
  public boolean verifies(byte[] verifier) {
    try {
      return Arrays.equals(decrypt(VERIFIER_NAME, verifier), VERIFIER_PLAIN);
    } catch (UnreadableException e) {
      return false;
    }
  }

  /** A value that this key cannot open (wrong key, tampered bytes, or another secret's ciphertext). */
  public static final class UnreadableException extends RuntimeException {
    public UnreadableException(String name) {
      super("secret " + name + " cannot be decrypted with this key (wrong key, or the stored value was changed)",
          null, false, false);
    }
  }
}
