package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTripWithAFreshNoncePerValue() {
    SecretCipher c = new SecretCipher(key(1));
    byte[] a = c.encrypt("GITHUB_TOKEN", utf8("ghp_value-1"));
    byte[] b = c.encrypt("GITHUB_TOKEN", utf8("ghp_value-1"));
    assertThat(new String(c.decrypt("GITHUB_TOKEN", a), StandardCharsets.UTF_8)).isEqualTo("ghp_value-1");
    // 12-byte nonce + 11 bytes + 16-byte tag; two encryptions of one value differ (a new nonce each)
    assertThat(a).hasSize(12 + 11 + 16);
    assertThat(Arrays.copyOf(a, 12)).isNotEqualTo(Arrays.copyOf(b, 12));
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aChangedByteFailsToDecrypt() {
    SecretCipher c = new SecretCipher(key(1));
    for (int i : new int[] {0, 12, 20}) {
      byte[] sealed = c.encrypt("A_KEY", utf8("the-value"));
      sealed[i] ^= 1;
      assertThatThrownBy(() -> c.decrypt("A_KEY", sealed)).isInstanceOf(SecretCipher.UnreadableException.class)
          .hasMessage("secret A_KEY cannot be decrypted with this key (wrong key, or the stored value was changed)");
    }
  }

  @Test
  void swappedRowsFailBecauseTheNameIsAssociatedData() {
    SecretCipher c = new SecretCipher(key(1));
    byte[] first = c.encrypt("FIRST", utf8("one-value"));
    byte[] second = c.encrypt("SECOND", utf8("two-value"));
    assertThatThrownBy(() -> c.decrypt("SECOND", first)).isInstanceOf(SecretCipher.UnreadableException.class);
    assertThatThrownBy(() -> c.decrypt("FIRST", second)).isInstanceOf(SecretCipher.UnreadableException.class);
  }

  @Test
  void aWrongKeyFailsAndTheVerifierTellsIt() {
    SecretCipher right = new SecretCipher(key(1));
    SecretCipher wrong = new SecretCipher(key(2));
    byte[] sealed = right.encrypt("X", utf8("value-xyz"));
    assertThatThrownBy(() -> wrong.decrypt("X", sealed)).isInstanceOf(SecretCipher.UnreadableException.class);
    byte[] verifier = right.verifier();
    assertThat(right.verifies(verifier)).isTrue();
    assertThat(wrong.verifies(verifier)).isFalse();
  }

  @Test
  void argon2idIsDeterministicPerSaltAndDiffersAcrossSalts() {
    byte[] salt = new byte[16];
    KdfParams small = new KdfParams(1024, 1, 1, salt);
    byte[] a = MasterKey.fromPassphrase("correct horse".toCharArray(), small);
    byte[] b = MasterKey.fromPassphrase("correct horse".toCharArray(), small);
    byte[] otherSalt = MasterKey.fromPassphrase("correct horse".toCharArray(), new KdfParams(1024, 1, 1, new byte[] {
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    byte[] otherPass = MasterKey.fromPassphrase("correct horsf".toCharArray(), small);
    assertThat(a).hasSize(32).isEqualTo(b).isNotEqualTo(otherSalt).isNotEqualTo(otherPass);
  }

  @Test
  void aKeyFileReadableByOthersIsRefusedWithTheChmodToRun(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secrets.key");
    MasterKey.createKeyFile(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    byte[] key = MasterKey.fromKeyFile(file);
    assertThat(key).hasSize(32).isEqualTo(MasterKey.fromKeyFile(file));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> MasterKey.fromKeyFile(file)).isInstanceOf(MasterKey.KeyException.class)
        .hasMessage("key file " + file + " may be read by others (mode rw-r--r--); restrict it with: chmod 600 " + file);
    assertThatThrownBy(() -> MasterKey.createKeyFile(file)).hasMessage("key file " + file + " exists already; remove it or name another");
    Path shortFile = dir.resolve("short.key");
    Files.writeString(shortFile, "too short");
    Files.setPosixFilePermissions(shortFile, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> MasterKey.fromKeyFile(shortFile)).hasMessageStartingWith("key file " + shortFile
        + " holds 9 bytes; it needs at least 32");
  }
}
