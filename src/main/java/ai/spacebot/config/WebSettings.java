package ai.spacebot.config;

import java.util.List;

/**
 * How tools that fetch URLs reach the web ({@code tools.web}).
 *
 * @param allowHosts hosts the SSRF guard lets through although they resolve to loopback, link-local or private
 *     addresses: names ({@code intranet.example}, {@code *.corp.example}), addresses or CIDR blocks
 * @param maxBodyBytes bytes of a response body read at most; the rest is cut
 * @param timeoutSeconds wall clock for one fetch, redirects included
 * @param maxChars characters of page text a tool returns unless the call asks for fewer
 */
public record WebSettings(List<String> allowHosts, int maxBodyBytes, int timeoutSeconds, int maxChars) {
  public static final WebSettings DEFAULTS = new WebSettings(List.of(), 2 * 1024 * 1024, 20, 20_000);
}
