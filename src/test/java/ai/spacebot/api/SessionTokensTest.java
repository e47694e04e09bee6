package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session key on disk and what a token proves. */
class SessionTokensTest {
  @TempDir
  Path dir;

  @Test
  void theKeyIsMadeOnceOwnerOnlyAndKeptAcrossStarts() throws IOException {
    SessionTokens first = SessionTokens.load(dir);
    Path key = dir.resolve(SessionTokens.KEY_FILE);
    assertThat(Files.size(key)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    String token = first.issue("main", "s1", 2_000);
    // A restart reads the same key: the visitor's token still holds.
    assertThat(SessionTokens.load(dir).verify(token, 1_000)).isEqualTo(new SessionTokens.Session("main", "s1", 2_000));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(SessionTokens.KEY_FILE);
    }
  }

  @Test
  void aKeyReadableByOthersIsTightened() throws IOException {
    SessionTokens.load(dir);
    Path key = dir.resolve(SessionTokens.KEY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    SessionTokens.load(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
  }

  @Test
  void aDamagedKeyFileSaysWhatToDo() throws IOException {
    Files.write(dir.resolve(SessionTokens.KEY_FILE), new byte[5]);
    assertThatThrownBy(() -> SessionTokens.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("must hold 32 bytes (it holds 5)").hasMessageContaining("delete it");
  }

  @Test
  void aTokenHoldsUntilItsExpiryAndOnlyUnderItsKey() {
    SessionTokens tokens = new SessionTokens(new byte[32]);
    String token = tokens.issue("main", "s1", 1_000);
    assertThat(tokens.verify(token, 999)).isEqualTo(new SessionTokens.Session("main", "s1", 1_000));
    assertThat(tokens.verify(token, 1_000)).isNull();
    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(new SessionTokens(other).verify(token, 999)).isNull();
    assertThat(tokens.verify(token + "x", 999)).isNull();
    assertThat(tokens.verify(token.replace(SessionTokens.PREFIX, "sbs2."), 999)).isNull();
    assertThat(tokens.verify(null, 0)).isNull();
    assertThat(tokens.verify("not a token", 0)).isNull();
  }
}
