package ai.spacebot.tools.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The guard's decisions on URLs, with real resolution of {@code localhost} through the host's resolver. */
class UrlGuardTest {
  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Throwable refusal(UrlGuard guard, String url) {
    Future<Target> checked = guard.check(url);
    try {
      checked.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the cause is read below
    }
    assertThat(checked.failed()).as(url + " must be refused").isTrue();
    return checked.cause();
  }

  private Target passed(UrlGuard guard, String url) throws Exception {
    return guard.check(url).await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "http://169.254.169.254/latest/meta-data/|refused: 169.254.169.254 is a link-local address (cloud metadata); "
          + "allow it with tools.web.allow_hosts",
      "http://127.0.0.1:8080/|refused: 127.0.0.1 is a loopback address; allow it with tools.web.allow_hosts",
      "http://2130706433/|refused: 2130706433 is 127.0.0.1, a loopback address; allow it with "
          + "tools.web.allow_hosts",
      "http://0177.0.0.1/|refused: 0177.0.0.1 is 127.0.0.1, a loopback address; allow it with "
          + "tools.web.allow_hosts",
      "http://127.1/|refused: 127.1 is 127.0.0.1, a loopback address; allow it with tools.web.allow_hosts",
      "http://0xa9fea9fe/|refused: 0xa9fea9fe is 169.254.169.254, a link-local address (cloud metadata); "
          + "allow it with tools.web.allow_hosts",
      "http://[::1]:19898/api/status|refused: ::1 is a loopback address; allow it with "
          + "tools.web.allow_hosts",
      "http://[::ffff:169.254.169.254]/|refused: ::ffff:169.254.169.254 is 169.254.169.254, a link-local "
          + "address (cloud metadata); allow it with tools.web.allow_hosts",
      "http://[64:ff9b::a9fe:a9fe]/|refused: 64:ff9b::a9fe:a9fe is a NAT64 address of 169.254.169.254, a link-local "
          + "address (cloud metadata); allow it with tools.web.allow_hosts",
      "http://[fd00:ec2::254]/|refused: fd00:ec2::254 is a unique local (private) "
          + "address; allow it with tools.web.allow_hosts",
      "http://0.0.0.0:19898/|refused: 0.0.0.0 is the unspecified address (it reaches this host); allow it with "
          + "tools.web.allow_hosts",
      "http://10.0.0.1/|refused: 10.0.0.1 is a private address; allow it with tools.web.allow_hosts",
      "https://192.168.0.1/|refused: 192.168.0.1 is a private address; allow it with tools.web.allow_hosts",
      "http://100.100.100.200/|refused: 100.100.100.200 is a carrier-grade NAT address (100.64.0.0/10); allow it "
          + "with tools.web.allow_hosts",
      "http://LOCALHOST./|refused: localhost resolves to 127.0.0.1, a loopback address; allow it with "
          + "tools.web.allow_hosts",
  })
  void internalAddressesAreRefusedWithTheReason(String url, String message) {
    Throwable e = refusal(new UrlGuard(vertx, AllowList.EMPTY), url);
    assertThat(e).isInstanceOf(Refused.class);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "file:///etc/passwd|only http and https URLs can be fetched, not \"file:///etc/passwd\"",
      "gopher://127.0.0.1:6379/_FLUSHALL|only http and https URLs can be fetched, not "
          + "\"gopher://127.0.0.1:6379/_FLUSHALL\"",
      "http://169.254.169.254@example.com/|URLs with a user name or password (user@host) are not fetched",
      "http:///path|\"http:///path\" has no host (write it as http://host/path)",
      "http://1.2.3.256/|1.2.3.256 is not a valid IPv4 address",
      "http://example.com:99999/|\"http://example.com:99999/\" has an invalid port \"99999\"",
      "http://exa mple.com/|\"http://exa mple.com/\" is not a valid URL: Illegal character in authority",
  })
  void badUrlsAreClearErrors(String url, String message) {
    Throwable e = refusal(new UrlGuard(vertx, AllowList.EMPTY), url);
    assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void anAllowedNameOrBlockPassesAndKeepsTheCheckedAddress() throws Exception {
    UrlGuard byName = new UrlGuard(vertx, AllowList.parse(List.of("localhost")));
    Target t = passed(byName, "http://localhost:8080/a/b?c=d");
    assertThat(t.host()).isEqualTo("localhost");
    assertThat(t.address().isLoopbackAddress()).isTrue();
    assertThat(t.port()).isEqualTo(8080);
    assertThat(t.requestUri()).isEqualTo("/a/b?c=d");
    // the name is allowed, not the address: 127.0.0.1 itself stays refused
    assertThat(refusal(byName, "http://127.0.0.1/")).isInstanceOf(Refused.class);

    UrlGuard byBlock = new UrlGuard(vertx, AllowList.parse(List.of("10.20.0.0/16", "fd00:1::/32", "127.0.0.2")));
    assertThat(passed(byBlock, "http://10.20.3.4/").address().getHostAddress()).isEqualTo("10.20.3.4");
    assertThat(passed(byBlock, "http://[fd00:1:ffff::9]/").https()).isFalse();
    assertThat(passed(byBlock, "https://127.0.0.2/").port()).isEqualTo(443);
    assertThat(refusal(byBlock, "http://10.21.0.1/")).hasMessage(
        "refused: 10.21.0.1 is a private address; allow it with tools.web.allow_hosts");
    assertThat(refusal(byBlock, "http://127.0.0.3/")).isInstanceOf(Refused.class);
    assertThat(refusal(byBlock, "http://169.254.169.254/")).isInstanceOf(Refused.class);
  }

  @Test
  void anInternationalNameIsCheckedInItsAsciiForm() throws Exception {
    // .example never resolves: the error names the form that was looked up
    assertThat(refusal(new UrlGuard(vertx, AllowList.EMPTY), "http://B\u00fccher.example/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the host xn--bcher-kva.example could not be resolved");
  }

  @Test
  void aWildcardAllowsSubNamesOnly() {
    AllowList list = AllowList.parse(List.of("*.corp.example"));
    assertThat(list.allowsName("wiki.corp.example")).isTrue();
    assertThat(list.allowsName("a.b.corp.example")).isTrue();
    assertThat(list.allowsName("corp.example")).isFalse();
    assertThat(list.allowsName("evilcorp.example")).isFalse();
  }

  @Test
  void aPublicAddressNeedsNoAllowList() throws Exception {
    Target t = passed(new UrlGuard(vertx, AllowList.EMPTY), "https://93.184.216.34/x");
    assertThat(t.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(t.requestUri()).isEqualTo("/x");
  }

  @Test
  void badAllowListEntriesAreNamed() {
    for (String bad : List.of("10.0.0.0/33", "example.com/8", "1.2.3.999", "fd00::/129")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> AllowList.parse(List.of(bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("tools.web.allow_hosts: \"" + bad + "\" is neither a host name");
    }
  }
}
