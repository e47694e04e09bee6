package ai.spacebot.secrets;

import java.nio.file.Path;
import java.util.Arrays;

/** What the operator gives to encrypt, unlock or rotate the store: a passphrase or a key file. */
public sealed interface KeySource {
  /** {@code passphrase} or {@code key_file}, as stored in the protection row. */
  String mode();

  record Passphrase(char[] value) implements KeySource {
    @Override
    public String mode() {
      return "passphrase";
    }

    @Override
    public String toString() {
      return "Passphrase[****]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Passphrase p && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }
  }

  record KeyFile(Path file) implements KeySource {
    @Override
    public String mode() {
      return "key_file";
    }
  }
}
