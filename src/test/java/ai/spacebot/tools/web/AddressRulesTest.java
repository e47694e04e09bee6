package ai.spacebot.tools.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRulesTest {
  private static String why(String literal) throws Exception {
    return AddressRules.refusal(InetAddress.getByName(literal));
  }

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1|a loopback address",
      "127.255.255.254|a loopback address",
      "0.0.0.0|the unspecified address (it reaches this host)",
      "0.1.2.3|in 0.0.0.0/8 (\"this network\")",
      "169.254.169.254|a link-local address (cloud metadata)",
      "169.254.0.1|a link-local address",
      "10.0.0.1|a private address",
      "10.255.255.255|a private address",
      "172.16.0.1|a private address",
      "172.31.255.255|a private address",
      "192.168.1.1|a private address",
      "100.64.0.1|a carrier-grade NAT address (100.64.0.0/10)",
      "100.100.100.200|a carrier-grade NAT address (100.64.0.0/10)",
      "100.127.255.255|a carrier-grade NAT address (100.64.0.0/10)",
      "192.0.0.192|an IETF protocol address (192.0.0.0/24)",
      "192.0.2.1|a documentation address",
      "198.18.0.1|a benchmarking address (198.18.0.0/15)",
      "224.0.0.1|a multicast address",
      "239.255.255.250|a multicast address",
      "255.255.255.255|the broadcast address",
      "240.0.0.1|a reserved address (240.0.0.0/4)",
      "::|the unspecified address (it reaches this host)",
      "::1|a loopback address",
      "fe80::1|a link-local address",
      "febf:ffff::1|a link-local address",
      "fec0::1|a site-local address",
      "fc00::1|a unique local (private) address",
      "fd00:ec2::254|a unique local (private) address",
      "ff02::1|a multicast address",
      "2001:db8::1|a documentation address",
      "2001:0:4136:e378::1|a Teredo tunnel address (2001::/32)",
      "64:ff9b:1::1|a local-use NAT64 address (64:ff9b:1::/48)",
      // IPv4 carried in IPv6: judged by the address inside
      "::ffff:127.0.0.1|a loopback address",
      "::ffff:169.254.169.254|a link-local address (cloud metadata)",
      "::ffff:a9fe:a9fe|a link-local address (cloud metadata)",
      "::127.0.0.1|an IPv4-compatible address of 127.0.0.1, a loopback address",
      "::10.1.2.3|an IPv4-compatible address of 10.1.2.3, a private address",
      "64:ff9b::127.0.0.1|a NAT64 address of 127.0.0.1, a loopback address",
      "64:ff9b::a9fe:a9fe|a NAT64 address of 169.254.169.254, a link-local address (cloud metadata)",
      "2002:7f00:1::|a 6to4 address of 127.0.0.1, a loopback address",
      "2002:c0a8:101::1|a 6to4 address of 192.168.1.1, a private address",
  })
  void notPublic(String literal, String reason) throws Exception {
    assertThat(why(literal)).isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
      "100.128.0.1", "169.253.255.255", "192.169.0.1", "11.0.0.1", "223.255.255.255", "2606:4700:4700::1111",
      "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1"})
  void publicAddressesPass(String literal) throws Exception {
    assertThat(why(literal)).isNull();
  }
}
