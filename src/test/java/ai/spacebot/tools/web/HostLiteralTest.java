package ai.spacebot.tools.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts spelled as browsers and curl read them (WHATWG URL's IPv4 parser). */
class HostLiteralTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "127.0.0.1,127.0.0.1",
      "2130706433,127.0.0.1",
      "0177.0.0.1,127.0.0.1",
      "0x7f.0.0.1,127.0.0.1",
      "0x7f000001,127.0.0.1",
      "127.1,127.0.0.1",
      "127.0.1,127.0.0.1",
      "0x7f.1,127.0.0.1",
      "017700000001,127.0.0.1",
      "0,0.0.0.0",
      "0xa9fea9fe,169.254.169.254",
      "169.254.43518,169.254.169.254",
      "2852039166,169.254.169.254",
      "0251.0376.0251.0376,169.254.169.254",
      "10.1,10.0.0.1",
      "127.0.0.1.,127.0.0.1",
  })
  void numericSpellingsAreIpv4(String host, String address) {
    assertThat(HostLiteral.parse(HostLiteral.normalise(host)).getHostAddress()).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.256", "256.1.1.1", "09.1.1.1", "1.2.3.4.5", "0x1g.0.0.1", "4294967296", "1..2.3",
      "1.2.65536", "foo.0x", "example.123"})
  void malformedNumbersAreRefusedNotGuessed(String host) {
    assertThatThrownBy(() -> HostLiteral.parse(host)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(host + " is not a valid IPv4 address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "localhost", "1.2.3.4.example", "0x7f.example", "metadata.google.internal"})
  void namesAreLeftToTheResolver(String host) {
    assertThat(HostLiteral.parse(host)).isNull();
  }

  @Test
  void ipv6LiteralsAreParsedWithoutALookupAndNamesWithColonsAreRefused() {
    assertThat(HostLiteral.parse(HostLiteral.normalise("[::1]")).getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(HostLiteral.parse(HostLiteral.normalise("[::FFFF:7F00:1]")).getHostAddress()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> HostLiteral.parse("evil.example:80")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("evil.example:80 is not a valid IPv6 address");
  }

  @Test
  void normalisingLowersCaseAndDropsTheTrailingDot() {
    assertThat(HostLiteral.normalise("LocalHost.")).isEqualTo("localhost");
    assertThat(HostLiteral.normalise("[FE80::1]")).isEqualTo("fe80::1");
  }
}
