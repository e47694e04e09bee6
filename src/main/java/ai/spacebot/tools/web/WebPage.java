package ai.spacebot.tools.web;

/**
 * A fetched response.
 *
 * @param url where it came from, after redirects
 * @param redirects how many redirects were followed to get there
 * @param contentType the Content-Type header, or "" when there was none
 * @param body the bytes read, at most the configured cap
 * @param truncated the body went on past the cap and was cut
 */
public record WebPage(String url, int redirects, int status, String contentType, byte[] body, boolean truncated) {}
