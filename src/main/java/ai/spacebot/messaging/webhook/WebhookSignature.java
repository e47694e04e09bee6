package ai.spacebot.messaging.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on every callback: {@code X-Spacebot-Signature: sha256=<hex HMAC-SHA256(key, timestamp + "." +
 * body)>} with {@code X-Spacebot-Timestamp: <unix seconds>}. Signing the timestamp with the body lets a receiver
 * refuse a replayed old request by its age.
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Spacebot-Signature";
  public static final String TIMESTAMP_HEADER = "X-Spacebot-Timestamp";
  private static final String PREFIX = "sha256=";

  private WebhookSignature() {}

  /** The header value for a body sent at {@code timestamp} (unix seconds). */
  public static String sign(String key, long timestamp, String body) {
    return PREFIX + HexFormat.of().formatHex(hmac(key, timestamp + "." + body));
  }

  /** Whether {@code header} is the signature of this body and timestamp; compared in constant time. */
  public static boolean verify(String key, long timestamp, String body, String header) {
    if (header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, hmac(key, timestamp + "." + body));
  }

  /** Whether a presented secret equals the expected one, in time independent of where they differ. */
  static boolean sameSecret(String given, String expected) {
    if (given == null || expected == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(given), sha256(expected));
  }

  private static byte[] hmac(String key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
