package ai.spacebot.api;

import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every route: a malformed percent-escape ({@code %zz}, a lone {@code %}) is the
 * client's mistake, so it gets a 400 here, once for all routes, instead of surfacing later as an
 * {@link IllegalArgumentException} from whichever route first read a parameter (a 500 and a stack trace).
 */
final class Escapes {
  private static final Logger log = LoggerFactory.getLogger(Escapes.class);
  static final String QUERY = "malformed percent-encoding in the query string";
  static final String PATH = "malformed percent-encoding in the path";

  private Escapes() {}

  static void check(RoutingContext ctx) {
    String problem = null;
    try {
      ctx.request().params(); // decodes (and caches) the query parameters every route reads
    } catch (IllegalArgumentException e) {
      problem = QUERY;
    }
    if (problem == null) {
      try {
        URLDecoder.decode(ctx.request().path(), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        problem = PATH;
      }
    }
    if (problem == null) {
      ctx.next();
      return;
    }
    log.debug("400 for {} {}: {}", ctx.request().method(), abbreviate(ctx.request().path()), problem);
    ApiError.send(ctx, 400, null, problem);
  }

  /** True for the exception Vert.x or Netty throws when a request's escapes cannot be decoded. */
  static boolean isDecodingFailure(Throwable e) {
    String m = e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage().toLowerCase() : "";
    return m.contains("hex") || m.contains("escape") || m.contains("decod");
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }
}
