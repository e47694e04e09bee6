package ai.spacebot.tools.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A URL's host read the way browsers and curl read it (the WHATWG URL standard's IPv4 parser): a host whose last label
 * is a number is an IPv4 address however it is spelled, so {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} and
 * {@code 127.1} are all 127.0.0.1. Java's resolver reads some of these differently (octal as decimal), which is why
 * the guard never hands such a host to it: it decides here what the address is, and connects to exactly that.
 */
final class HostLiteral {
  private static final BigInteger MAX_PART = BigInteger.valueOf(0xffffffffL);

  private HostLiteral() {}

  /** The canonical host: lower case, no trailing dot, no IPv6 brackets. */
  static String normalise(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      return h.substring(1, h.length() - 1);
    }
    return h.length() > 1 && h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * The address a normalised host spells, or null when it is a name to resolve.
   *
   * @throws IllegalArgumentException for a host that is numeric but no valid address ({@code 1.2.3.256},
   *     {@code 09.1.1.1}); browsers refuse those too
   */
  static InetAddress parse(String host) {
    if (host.contains(":")) {
      return ipv6(host);
    }
    String[] parts = host.split("\\.", -1);
    if (!isNumber(parts[parts.length - 1])) {
      return null;
    }
    if (parts.length > 4) {
      throw new IllegalArgumentException(host + " is not a valid IPv4 address");
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      BigInteger part = number(parts[i], host);
      boolean last = i == parts.length - 1;
      BigInteger limit = last ? BigInteger.ONE.shiftLeft(8 * (5 - parts.length)) : BigInteger.valueOf(256);
      if (part.compareTo(limit) >= 0 || part.compareTo(MAX_PART) > 0) {
        throw new IllegalArgumentException(host + " is not a valid IPv4 address");
      }
      value = last ? value + part.longValue() : value + (part.longValue() << (8 * (3 - i)));
    }
    byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** WHATWG "ends in a number": decimal digits, or 0x and hex digits. */
  private static boolean isNumber(String label) {
    if (label.isEmpty()) {
      return false;
    }
    if (label.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return label.startsWith("0x") && label.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static BigInteger number(String part, String host) {
    try {
      if (part.startsWith("0x")) {
        return part.length() == 2 ? BigInteger.ZERO : new BigInteger(part.substring(2), 16);
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return new BigInteger(part.substring(1), 8);
      }
      return new BigInteger(part, 10);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(host + " is not a valid IPv4 address");
    }
  }

  private static InetAddress ipv6(String host) {
    // a literal: getByName looks nothing up for it; anything that is not hex, colons, dots and a scope is refused
    // first, so that no name ever reaches the resolver from here
    if (!host.matches("[0-9a-f:.]+(%[0-9a-z._-]+)?")) {
      throw new IllegalArgumentException(host + " is not a valid IPv6 address");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(host + " is not a valid IPv6 address");
    }
  }
}
