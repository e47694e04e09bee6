package ai.spacebot.tools.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a URL-fetching tool must not reach: everything that is not the public internet. Loopback and the
 * unspecified address reach the server itself; link-local holds the cloud metadata services (169.254.169.254, and
 * Alibaba's 100.100.100.200 sits in CGNAT space, Oracle's 192.0.0.192 in the IETF block); private and unique-local
 * ranges are the operator's own network. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by the address they carry, so {@code ::ffff:127.0.0.1} is loopback too.
 */
public final class AddressRules {
  private AddressRules() {}

  /** Why {@code address} is refused, as "a loopback address"; null when it is a public address. */
  public static String refusal(InetAddress address) {
    if (address instanceof Inet4Address) {
      return refusal4(address.getAddress());
    }
    return refusal6(address.getAddress());
  }

  private static String refusal4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    int a3 = b[3] & 0xff;
    if (a0 == 0) {
      return a1 == 0 && a2 == 0 && a3 == 0 ? "the unspecified address (it reaches this host)"
          : "in 0.0.0.0/8 (\"this network\")";
    }
    if (a0 == 127) {
      return "a loopback address";
    }
    if (a0 == 169 && a1 == 254) {
      return a2 == 169 && a3 == 254 ? "a link-local address (cloud metadata)" : "a link-local address";
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return "a private address";
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return "a carrier-grade NAT address (100.64.0.0/10)";
    }
    if (a0 == 192 && a1 == 0 && a2 == 0) {
      return "an IETF protocol address (192.0.0.0/24)";
    }
    if ((a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0
        && a2 == 113)) {
      return "a documentation address";
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return "a benchmarking address (198.18.0.0/15)";
    }
    if ((a0 & 0xf0) == 224) {
      return "a multicast address";
    }
    if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
      return "the broadcast address";
    }
    if ((a0 & 0xf0) == 240) {
      return "a reserved address (240.0.0.0/4)";
    }
    return null;
  }

  private static String refusal6(byte[] b) {
    if (isZero(b, 0, 16)) {
      return "the unspecified address (it reaches this host)";
    }
    if (isZero(b, 0, 15) && b[15] == 1) {
      return "a loopback address";
    }
    if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return carried("an IPv4-mapped address", b, 12);
    }
    if (isZero(b, 0, 12)) {
      return carried("an IPv4-compatible address", b, 12);
    }
    int w0 = word(b, 0);
    int w1 = word(b, 1);
    if (w0 == 0x64 && w1 == 0xff9b && isZero(b, 4, 8)) {
      return carried("a NAT64 address", b, 12);
    }
    if (w0 == 0x64 && w1 == 0xff9b && word(b, 2) == 1) {
      return "a local-use NAT64 address (64:ff9b:1::/48)";
    }
    if (w0 == 0x2002) {
      return carried("a 6to4 address", b, 2);
    }
    if (w0 == 0x2001 && w1 == 0) {
      return "a Teredo tunnel address (2001::/32)";
    }
    if (w0 == 0x2001 && w1 == 0xdb8) {
      return "a documentation address";
    }
    if (w0 == 0x100 && w1 == 0 && word(b, 2) == 0 && word(b, 3) == 0) {
      return "a discard-only address (100::/64)";
    }
    if ((w0 & 0xffc0) == 0xfe80) {
      return "a link-local address";
    }
    if ((w0 & 0xffc0) == 0xfec0) {
      return "a site-local address";
    }
    if ((w0 & 0xfe00) == 0xfc00) {
      return "a unique local (private) address";
    }
    if ((w0 & 0xff00) == 0xff00) {
      return "a multicast address";
    }
    return null;
  }

  /** An IPv6 form that carries an IPv4 address is as good as the address it carries. */
  private static String carried(String form, byte[] b, int at) {
    byte[] v4 = {b[at], b[at + 1], b[at + 2], b[at + 3]};
    String why = refusal4(v4);
    if (why == null) {
      return null;
    }
    try {
      return form + " of " + InetAddress.getByAddress(v4).getHostAddress() + ", " + why;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  private static int word(byte[] b, int i) {
    return ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The address as people write it: dotted IPv4, IPv6 without a scope. */
  static String text(InetAddress address) {
    String s = address.getHostAddress();
    int scope = s.indexOf('%');
    return address instanceof Inet6Address && scope >= 0 ? s.substring(0, scope) : s;
  }
}
