package ai.spacebot.tools.web;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts an operator lets the guard pass although they are not public ({@code tools.web.allow_hosts}): exact
 * names, {@code *.domain} for a domain's sub-names, single addresses and CIDR blocks. A name entry lets a host through
 * whatever it resolves to; an address entry lets through the addresses in it, whatever name led there.
 */
public final class AllowList {
  private record Block(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  public static final AllowList EMPTY = new AllowList(List.of(), List.of(), List.of());

  private final List<String> names;
  private final List<String> suffixes;
  private final List<Block> blocks;

  private AllowList(List<String> names, List<String> suffixes, List<Block> blocks) {
    this.names = names;
    this.suffixes = suffixes;
    this.blocks = blocks;
  }

  /** @throws IllegalArgumentException naming an entry that is neither a name nor an address or block */
  public static AllowList parse(List<String> entries) {
    List<String> names = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      String wrong = "tools.web.allow_hosts: \"" + raw + "\" is neither a host name, an address nor a CIDR block";
      int slash = entry.indexOf('/');
      String host = HostLiteral.normalise(slash < 0 ? entry : entry.substring(0, slash));
      InetAddress address;
      try {
        address = HostLiteral.parse(host);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(wrong);
      }
      if (address == null) {
        if (slash >= 0 || host.isEmpty()) {
          throw new IllegalArgumentException(wrong);
        }
        if (host.startsWith("*.")) {
          suffixes.add(host.substring(1));
        } else {
          names.add(host);
        }
        continue;
      }
      byte[] bytes = address.getAddress();
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(wrong);
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException(wrong + " (the prefix must be 0 to " + bytes.length * 8 + ")");
        }
      }
      blocks.add(new Block(bytes, prefix));
    }
    return new AllowList(List.copyOf(names), List.copyOf(suffixes), List.copyOf(blocks));
  }

  /** @param host normalised (lower case, no brackets, no trailing dot) */
  boolean allowsName(String host) {
    return names.contains(host) || suffixes.stream().anyMatch(host::endsWith);
  }

  boolean allowsAddress(InetAddress address) {
    byte[] bytes = address.getAddress();
    return blocks.stream().anyMatch(b -> b.contains(bytes));
  }
}
