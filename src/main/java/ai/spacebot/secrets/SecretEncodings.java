package ai.spacebot.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The forms a secret value takes when a tool or a model re-encodes it: as is, hex (lower and upper case),
 * percent-encoded (RFC 3986 and form style, upper and lower case escapes, and every byte escaped), and base64
 * (standard and URL-safe, padded and not). Base64 inside a longer blob shifts the value to one of three byte
 * alignments; for each alignment only the characters that depend on the value's bytes alone are fixed, so that
 * core is a form too (it is a prefix of the plain encoding at alignment 0).
 */
final class SecretEncodings {
  /** Forms shorter than this would match ordinary text; a core of an 8-byte value is 10 characters. */
  static final int MIN_FORM_LENGTH = 8;

  private SecretEncodings() {}

  static Set<String> of(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Set<String> forms = new LinkedHashSet<>();
    forms.add(value);
    String hex = HexFormat.of().formatHex(bytes);
    forms.add(hex);
    forms.add(hex.toUpperCase(java.util.Locale.ROOT));
    forms.add(percent(bytes, true, false));
    forms.add(percent(bytes, false, false));
    forms.add(percent(bytes, true, true));
    forms.add(percent(bytes, false, true));
    forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
    for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
      forms.add(encoder.encodeToString(bytes));
      forms.add(encoder.withoutPadding().encodeToString(bytes));
      for (int shift = 0; shift < 3; shift++) {
        forms.add(core(encoder.withoutPadding(), bytes, shift));
      }
    }
    forms.removeIf(f -> f.length() < MIN_FORM_LENGTH);
    return forms;
  }

  /** The base64 characters fixed by {@code bytes} alone when {@code shift} unknown bytes come before them. */
  static String core(Base64.Encoder unpadded, byte[] bytes, int shift) {
    byte[] shifted = new byte[shift + bytes.length];
    System.arraycopy(bytes, 0, shifted, shift, bytes.length);
    String encoded = unpadded.encodeToString(shifted);
    int first = (8 * shift + 5) / 6;
    int end = 8 * (shift + bytes.length) / 6;
    return encoded.substring(first, end);
  }

  /** Unreserved characters stay (unless {@code all}); everything else becomes {@code %XX}. */
  private static String percent(byte[] bytes, boolean upper, boolean all) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (byte b : bytes) {
      int c = b & 0xff;
      if (!all && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
          || c == '_' || c == '~')) {
        out.append((char) c);
      } else {
        out.append('%').append(digits.charAt(c >> 4)).append(digits.charAt(c & 15));
      }
    }
    return out.toString();
  }
}
