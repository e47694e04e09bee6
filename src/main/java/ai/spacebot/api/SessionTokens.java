package ai.spacebot.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web-chat session tokens: {@code sbs1.<payload>.<mac>}, where the payload names the agent, the session and the
 * expiry, and the mac is HMAC-SHA256 under a random key of this installation. Nothing is stored per session: a
 * token proves itself, so any API node holding the same key accepts it, and a visitor cannot reach another
 * session by guessing its id (the id is in the signed payload, not taken from the request).
 */
final class SessionTokens {
  private static final Logger log = LoggerFactory.getLogger(SessionTokens.class);
  static final String PREFIX = "sbs1.";
  /** In the data directory; every API node of a cluster must hold the same file. */
  static final String KEY_FILE = "api-session.key";
  private static final int KEY_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /** A verified token's content. */
  record Session(String agentId, String sessionId, long expiresAtSeconds) {}

  private final byte[] key;

  SessionTokens(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a session key has " + KEY_BYTES + " bytes");
    }
    this.key = key.clone();
  }

  /**
   * Reads the installation's key from the data directory, creating it (random, owner-only) on first start.
   * Blocking: call off the event loop.
   */
  static SessionTokens load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(KEY_FILE);
    if (!Files.exists(file)) {
      create(file);
    }
    byte[] key = Files.readAllBytes(file);
    if (key.length != KEY_BYTES) {
      throw new IOException(file + " must hold " + KEY_BYTES + " bytes (it holds " + key.length
          + "); delete it to have a new one made (every web-chat visitor then gets a new session)");
    }
    tighten(file);
    return new SessionTokens(key);
  }

  private static void create(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(KEY_FILE + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix(file)) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    try {
      Files.write(tmp, key);
      // A hard link fails if another node sharing the directory made the key first: then theirs is kept.
      Files.createLink(file, tmp);
      log.info("Created the web-chat session key {}", file);
    } catch (FileAlreadyExistsException raced) {
      log.debug("{} was created concurrently; using that one", file);
    } catch (UnsupportedOperationException noLinks) {
      Files.move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void tighten(Path file) throws IOException {
    if (!posix(file)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    if (!ownerOnly.containsAll(perms)) {
      log.warn("{} was readable by others ({}); set to owner-only (0600)", file, PosixFilePermissions.toString(perms));
      Files.setPosixFilePermissions(file, ownerOnly);
    }
  }

  private static boolean posix(Path file) {
    return file.getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  String issue(String agentId, String sessionId, long expiresAtSeconds) {
    String payload = B64.encodeToString(new JsonObject().put("a", agentId).put("s", sessionId).put("x", expiresAtSeconds)
        .encode().getBytes(StandardCharsets.UTF_8));
    return PREFIX + payload + "." + B64.encodeToString(mac(payload));
  }

  /** The session a token names, or null if it is not one of ours, was altered, or has expired. */
  Session verify(String token, long nowSeconds) {
    if (token == null || !token.startsWith(PREFIX)) {
      return null;
    }
    int dot = token.indexOf('.', PREFIX.length());
    if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
      return null;
    }
    String payload = token.substring(PREFIX.length(), dot);
    byte[] given;
    try {
      given = B64D.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!MessageDigest.isEqual(given, mac(payload))) {
      return null;
    }
    // Signed by us, so the payload is our own JSON; still parsed defensively.
    try {
      JsonObject p = new JsonObject(new String(B64D.decode(payload), StandardCharsets.UTF_8));
      String agentId = p.getString("a");
      String sessionId = p.getString("s");
      long expires = p.getLong("x", 0L);
      if (agentId == null || sessionId == null || expires <= nowSeconds) {
        return null;
      }
      return new Session(agentId, sessionId, expires);
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  private byte[] mac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal((PREFIX + payload).getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
