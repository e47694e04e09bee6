package ai.spacebot.tools.web;

import java.net.InetAddress;
import java.net.URI;

/**
 * A URL the guard let through, with the one address that was checked: the fetcher connects to exactly that address,
 * so a second DNS answer (rebinding) can never swap it.
 *
 * @param host the host as named in the URL, normalised; it goes into the Host header and TLS (SNI, certificate check)
 */
public record Target(URI uri, boolean https, String host, int port, InetAddress address) {
  /** Path and query as they go on the request line. */
  public String requestUri() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }
}
