package ai.spacebot.tools.web;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.WebSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher against real HTTP servers on this host: names and spellings that lead to loopback are refused before a
 * byte is sent; an allow-listed server is fetched end to end; a redirect from an allowed server to loopback or the
 * metadata address is refused at the hop (the second server never hears of it); body size, time and redirect count
 * are bounded; over TLS the certificate is checked against the URL's name although the address is what connects.
 */
class WebFetcherIT {
  @TempDir Path dir;
  Vertx vertx;
  /** Requests each server saw, as "host-header path". */
  final Queue<String> seenA = new ConcurrentLinkedQueue<>();
  final Queue<String> seenB = new ConcurrentLinkedQueue<>();
  HttpServer a;
  HttpServer b;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    b = serve("127.0.0.1", new HttpServerOptions(), seenB, r -> r.response().end("B's secret"));
    a = serve("127.0.0.1", new HttpServerOptions(), seenA, this::routeA);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void routeA(HttpServerRequest r) {
    String path = r.path();
    switch (path) {
      case "/page" -> r.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<!doctype html><html>"
          + "<head><title>Hello page</title><style>p{}</style><script>var secret=1</script></head><body><h1>Hi</h1>"
          + "<p>First <b>bold</b> para.</p><ul><li>one</li><li>two</li></ul></body></html>");
      case "/to-b" -> redirect(r, "http://127.0.0.1:" + b.actualPort() + "/private");
      case "/to-metadata" -> redirect(r, "http://169.254.169.254/latest/meta-data/iam/");
      case "/to-mapped" -> redirect(r, "http://[::ffff:127.0.0.1]:" + b.actualPort() + "/");
      case "/hop1" -> redirect(r, "/hop2");
      case "/hop2" -> redirect(r, "page");
      case "/loop" -> redirect(r, "/loop");
      case "/big" -> r.response().putHeader("Content-Type", "text/plain").end(Buffer.buffer(new byte[3_000_000]));
      case "/json" -> r.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
      case "/png" -> r.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(new byte[] {(byte) 0x89,
          'P', 'N', 'G', 0, 0}));
      case "/slow" -> { } // never answers
      default -> r.response().setStatusCode(404).end("not here");
    }
  }

  private static void redirect(HttpServerRequest r, String location) {
    r.response().setStatusCode(302).putHeader("Location", location).end();
  }

  private HttpServer serve(String host, HttpServerOptions options, Queue<String> seen,
      Consumer<HttpServerRequest> handler) throws Exception {
    return vertx.createHttpServer(options).requestHandler(r -> {
      seen.add(r.getHeader("Host") + " " + r.uri());
      handler.accept(r);
    }).listen(0, host).await(10, TimeUnit.SECONDS);
  }

  private WebFetcher fetcher(List<String> allow) {
    return fetcher(allow, 64 * 1024, 3, new HttpClientOptions());
  }

  private WebFetcher fetcher(List<String> allow, int maxBody, int timeout, HttpClientOptions options) {
    return new WebFetcher(vertx, new WebSettings(allow, maxBody, timeout, 20_000), options);
  }

  private static Throwable failure(Future<WebPage> fetch) {
    try {
      fetch.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // read below
    }
    assertThat(fetch.failed()).as("the fetch must fail").isTrue();
    return fetch.cause();
  }

  private static String text(WebPage page) {
    return PageText.of(page);
  }

  @Test
  void loopbackByNameBracketsOrNumbersIsRefusedBeforeAnythingIsSent() {
    WebFetcher web = fetcher(List.of());
    int port = a.actualPort();
    assertThat(failure(web.fetch("http://localhost:" + port + "/page"))).isInstanceOf(Refused.class)
        .hasMessage("refused: localhost resolves to 127.0.0.1, a loopback address; allow it with "
            + "tools.web.allow_hosts");
    assertThat(failure(web.fetch("http://127.0.0.1:" + port + "/page")))
        .hasMessage("refused: 127.0.0.1 is a loopback address; allow it with tools.web.allow_hosts");
    assertThat(failure(web.fetch("http://[::1]:" + port + "/page")))
        .hasMessage("refused: ::1 is a loopback address; allow it with tools.web.allow_hosts");
    assertThat(failure(web.fetch("http://2130706433:" + port + "/page")))
        .hasMessage("refused: 2130706433 is 127.0.0.1, a loopback address; allow it with tools.web.allow_hosts");
    assertThat(failure(web.fetch("http://0177.0.0.1:" + port + "/page"))).isInstanceOf(Refused.class);
    assertThat(failure(web.fetch("http://127.1:" + port + "/page"))).isInstanceOf(Refused.class);
    assertThat(failure(web.fetch("http://[::ffff:7f00:1]:" + port + "/page"))).isInstanceOf(Refused.class);
    assertThat(failure(web.fetch("http://169.254.169.254/latest/meta-data/"))).hasMessage(
        "refused: 169.254.169.254 is a link-local address (cloud metadata); allow it with tools.web.allow_hosts");
    assertThat(seenA).isEmpty();
  }

  @Test
  void anAllowListedServerIsFetchedAsTextWithTheHostHeaderOfItsName() throws Exception {
    WebPage page = fetcher(List.of("localhost")).fetch("http://localhost:" + a.actualPort() + "/page")
        .await(20, TimeUnit.SECONDS);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.redirects()).isZero();
    assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(text(page)).isEqualTo("Hello page\nHi\nFirst bold para.\none\ntwo");
    assertThat(seenA).containsExactly("localhost:" + a.actualPort() + " /page");

    WebPage json = fetcher(List.of("127.0.0.0/8")).fetch("http://127.0.0.1:" + a.actualPort() + "/json")
        .await(20, TimeUnit.SECONDS);
    assertThat(text(json)).isEqualTo("{\"ok\":true}");
    WebPage png = fetcher(List.of("127.0.0.1")).fetch("http://127.0.0.1:" + a.actualPort() + "/png")
        .await(20, TimeUnit.SECONDS);
    assertThat(text(png)).as("binary is not text").isNull();
  }

  @Test
  void anAllowListedIpv6LiteralIsFetchedWithABracketedHostHeader() throws Exception {
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    HttpServer v6 = serve("::1", new HttpServerOptions(), seen, r -> r.response().end("six"));
    WebPage page = fetcher(List.of("::1")).fetch("http://[::1]:" + v6.actualPort() + "/v6")
        .await(20, TimeUnit.SECONDS);
    assertThat(text(page)).isEqualTo("six");
    assertThat(seen).containsExactly("[::1]:" + v6.actualPort() + " /v6");
  }

  @Test
  void aRedirectToLoopbackOrMetadataIsRefusedAtTheHop() {
    WebFetcher web = fetcher(List.of("localhost"));
    String base = "http://localhost:" + a.actualPort();
    assertThat(failure(web.fetch(base + "/to-b"))).isInstanceOf(Refused.class).hasMessage(
        "refused at redirect 1 (to http://127.0.0.1:" + b.actualPort() + "/private): 127.0.0.1 is a loopback "
            + "address; allow it with tools.web.allow_hosts");
    assertThat(failure(web.fetch(base + "/to-metadata"))).isInstanceOf(Refused.class).hasMessage(
        "refused at redirect 1 (to http://169.254.169.254/latest/meta-data/iam/): 169.254.169.254 is a link-local "
            + "address (cloud metadata); allow it with tools.web.allow_hosts");
    assertThat(failure(web.fetch(base + "/to-mapped"))).isInstanceOf(Refused.class)
        .hasMessageContaining("127.0.0.1, a loopback address");
    assertThat(seenB).as("the server behind the redirect never got a request").isEmpty();
    assertThat(seenA).hasSize(3);
  }

  @Test
  void redirectsAreFollowedUpToFiveAndResolvedAgainstTheLastUrl() throws Exception {
    WebFetcher web = fetcher(List.of("localhost"));
    String base = "http://localhost:" + a.actualPort();
    WebPage page = web.fetch(base + "/hop1").await(20, TimeUnit.SECONDS);
    assertThat(page.url()).isEqualTo(base + "/page");
    assertThat(page.redirects()).isEqualTo(2);
    assertThat(text(page)).startsWith("Hello page");
    seenA.clear();
    assertThat(failure(web.fetch(base + "/loop"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("more than 5 redirects, the last to /loop");
    assertThat(seenA).hasSize(6);
  }

  @Test
  void theBodyIsCappedAndASilentServerTimesOut() throws Exception {
    WebFetcher web = fetcher(List.of("localhost"), 100_000, 2, new HttpClientOptions());
    String base = "http://localhost:" + a.actualPort();
    WebPage big = web.fetch(base + "/big").await(20, TimeUnit.SECONDS);
    assertThat(big.truncated()).isTrue();
    assertThat(big.body()).hasSize(100_000);
    long start = System.nanoTime();
    assertThat(failure(web.fetch(base + "/slow")))
        .hasMessage("the fetch took longer than 2 s (tools.web.timeout_seconds)");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1900L, 5000L);
  }

  @Test
  void overTlsTheCertificateIsCheckedAgainstTheUrlsNameNotTheAddress() throws Exception {
    Path store = dir.resolve("localhost.p12");
    Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "web", "-keyalg", "EC", "-groupname",
        "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-keystore",
        store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
    PfxOptions pfx = new PfxOptions().setPath(store.toString()).setPassword("changeit");
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    HttpServer tls = serve("127.0.0.1", new HttpServerOptions().setSsl(true).setKeyCertOptions(pfx), seen,
        r -> r.response().putHeader("Content-Type", "text/plain").end("over tls"));
    HttpClientOptions trusting = new HttpClientOptions().setTrustOptions(pfx);

    WebPage page = fetcher(List.of("localhost"), 64 * 1024, 5, trusting)
        .fetch("https://localhost:" + tls.actualPort() + "/x").await(20, TimeUnit.SECONDS);
    assertThat(text(page)).isEqualTo("over tls");
    assertThat(seen).containsExactly("localhost:" + tls.actualPort() + " /x");

    // the same server by address: allowed by the list, but the certificate names localhost, not 127.0.0.1
    Throwable e = failure(fetcher(List.of("127.0.0.1"), 64 * 1024, 5, trusting)
        .fetch("https://127.0.0.1:" + tls.actualPort() + "/x"));
    assertThat(e).isNotInstanceOf(Refused.class);
    assertThat(WebFetchTool.reason(e)).isEqualTo("Failed to create SSL connection: No subject alternative names "
        + "matching IP address 127.0.0.1 found");
    assertThat(seen).hasSize(1);
  }
}
