package ai.spacebot.tools.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard every tool that fetches a URL goes through (web_fetch now; the browser, MCP over HTTP and webhook
 * callbacks later): only http and https, and after DNS every address of the host must be public, unless the operator
 * allowed the host by name or address ({@code tools.web.allow_hosts}). A fetcher must connect to the address in the
 * returned {@link Target} and call {@link #check} again for every redirect.
 */
public final class UrlGuard {
  static final String HOW_TO_ALLOW = "allow it with tools.web.allow_hosts";

  private final Vertx vertx;
  private final AllowList allow;

  public UrlGuard(Vertx vertx, AllowList allow) {
    this.vertx = vertx;
    this.allow = allow;
  }

  /**
   * Parses, resolves (on a worker thread: InetAddress blocks) and checks {@code url}. Fails with {@link Refused} for a
   * URL that must not be fetched, and with {@link IllegalArgumentException} for one that is not a valid http(s) URL
   * or whose host does not resolve.
   */
  public Future<Target> check(String url) {
    Parsed parsed;
    InetAddress literal;
    try {
      parsed = parse(url);
      literal = HostLiteral.parse(parsed.host());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (literal != null) {
      return decide(parsed, List.of(literal), true);
    }
    String host = parsed.host();
    return vertx.<List<InetAddress>>executeBlocking(() -> Arrays.asList(InetAddress.getAllByName(host)), false)
        .recover(e -> Future.failedFuture(e instanceof UnknownHostException
            ? new IllegalArgumentException("the host " + host + " could not be resolved") : e))
        .compose(addresses -> decide(parsed, addresses, false));
  }

  /** A URL taken apart; {@code host} normalised, {@code port} explicit. */
  private record Parsed(URI uri, boolean https, String host, int port) {}

  /** @param literal the host is an address itself, not a name that was resolved */
  private Future<Target> decide(Parsed parsed, List<InetAddress> addresses, boolean literal) {
    String host = parsed.host();
    if (addresses.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("the host " + host + " has no address"));
    }
    if (!allow.allowsName(host)) {
      // every address, not just the one used: a name that answers with a public and a private address is refused
      for (InetAddress address : addresses) {
        String why = AddressRules.refusal(address);
        if (why != null && !allow.allowsAddress(address)) {
          String shown = AddressRules.text(address);
          String what = !literal ? host + " resolves to " + shown + ", "
              : shown.equals(host) || (address instanceof Inet6Address && host.contains(":")) ? host + " is "
              : host + " is " + shown + ", ";
          return Future.failedFuture(new Refused("refused: " + what + why + "; " + HOW_TO_ALLOW));
        }
      }
    }
    return Future.succeededFuture(
        new Target(parsed.uri(), parsed.https(), host, parsed.port(), addresses.get(0)));
  }

  private static Parsed parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"" + url + "\" is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("only http and https URLs can be fetched, not \"" + url + "\"");
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("\"" + url + "\" has no host (write it as http://host/path)");
    }
    if (authority.contains("@")) {
      throw new IllegalArgumentException("URLs with a user name or password (user@host) are not fetched");
    }
    // java.net.URI leaves the host null for spellings it does not take for a host name (127.1, 0x7f.1, a_b.example);
    // the authority is split here instead, so that every spelling reaches the same checks
    String host = authority;
    String port = null;
    int close = authority.lastIndexOf(']');
    int colon = authority.lastIndexOf(':');
    if (authority.startsWith("[")) {
      if (close < 0) {
        throw new IllegalArgumentException("\"" + url + "\" has an unclosed [ in its host");
      }
      host = authority.substring(0, close + 1);
      port = close + 1 < authority.length() && authority.charAt(close + 1) == ':' ? authority.substring(close + 2)
          : null;
    } else if (colon >= 0) {
      host = authority.substring(0, colon);
      port = authority.substring(colon + 1);
    }
    boolean https = scheme.equals("https");
    int number = https ? 443 : 80;
    if (port != null && !port.isEmpty()) {
      if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        throw new IllegalArgumentException("\"" + url + "\" has an invalid port \"" + port + "\"");
      }
      number = Integer.parseInt(port);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("\"" + url + "\" has no host (write it as http://host/path)");
    }
    String name = HostLiteral.normalise(host);
    if (!name.chars().allMatch(c -> c < 0x80)) {
      try {
        name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"" + host + "\" is not a valid host name");
      }
    }
    return new Parsed(uri, https, name, number);
  }
}
