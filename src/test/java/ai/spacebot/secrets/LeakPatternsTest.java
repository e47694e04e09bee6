package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each credential format is found; look-alikes in ordinary text pass through. */
class LeakPatternsTest {
  private static final String RANDOM48 = "T3BlbkFJa8Xq2Lm9Zr4Pw7Yt1Uv6Ns3Qk5Jh8Gf2Dd4Ss7Aa0";

  private static Optional<LeakPattern> in(String text) {
    return LeakPatterns.first(text);
  }

  @Test
  void openAiKeys() {
    assertThat(in("key: sk-" + RANDOM48)).contains(LeakPattern.OPENAI_API_KEY);
    assertThat(in("sk-proj-" + RANDOM48 + "_x-Y" + RANDOM48)).contains(LeakPattern.OPENAI_API_KEY);
    assertThat(in("sk-svcacct-" + RANDOM48)).contains(LeakPattern.OPENAI_API_KEY);
  }

  @Test
  void anthropicKeys() {
    assertThat(in("sk-ant-api03-" + RANDOM48 + RANDOM48 + "AA")).contains(LeakPattern.ANTHROPIC_API_KEY);
  }

  @Test
  void githubTokens() {
    String body = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    assertThat(body).hasSize(36);
    for (String prefix : new String[] {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
      assertThat(in("token " + prefix + body + " here")).as(prefix).contains(LeakPattern.GITHUB_TOKEN);
    }
    assertThat(in("github_pat_11ABCDEFG0" + "abcdefghij1234567890".repeat(4) + "_xyz")).contains(LeakPattern.GITHUB_TOKEN);
  }

  @Test
  void slackTokens() {
    for (char c : "abposr".toCharArray()) {
      assertThat(in("xox" + c + "-123456789012-1234567890123-AbCdEf1hIjKlMn2pQrStUvWx"))
          .as("xox" + c).contains(LeakPattern.SLACK_TOKEN);
    }
  }

  @Test
  void discordBotTokens() {
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString("123456789012345678".getBytes(StandardCharsets.US_ASCII));
    String token = id + ".GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    assertThat(in("my token " + token)).contains(LeakPattern.DISCORD_BOT_TOKEN);
  }

  @Test
  void awsAccessKeys() {
    assertThat(in("AKIAIOSFODNN7EXAMPLE")).contains(LeakPattern.AWS_ACCESS_KEY);
    assertThat(in("id=ASIA2B3C4D5E6F7G8H9J,")).contains(LeakPattern.AWS_ACCESS_KEY);
  }

  @Test
  void privateKeyBlocks() {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx7Qk3pZ1sL2mN4oP5qR6sT7uV8wX9yZ0aB1cD2eF3gH4\n"
        + "-----END RSA PRIVATE KEY-----";
    assertThat(in("here:\n" + pem)).contains(LeakPattern.PRIVATE_KEY);
    assertThat(in("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz"))
        .contains(LeakPattern.PRIVATE_KEY);
    assertThat(LeakPatterns.redact("a\n" + pem + "\nb")).isEqualTo("a\n[REDACTED:private_key]\nb");
  }

  @Test
  void jwts() {
    String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ"
        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    assertThat(in("Bearer " + jwt)).contains(LeakPattern.JWT);
    assertThat(LeakPatterns.redact("Bearer " + jwt + " ok")).isEqualTo("Bearer [REDACTED:jwt] ok");
  }

  @Test
  void nearMissesPassThrough() {
    String[] ordinary = {
        "pip install scikit-learn; sk-learn is its nickname",
        "the task-manager-service-for-the-big-monolith-v2 is slow",
        "sk-1234 is too short to be a key",
        "desk-organizer-with-drawers-and-a-lamp-2024-edition",
        "ghp_short and gho_ are prefixes only",
        "github_pat_ is how fine-grained tokens start",
        "xoxo-hugs and xoxb-your-token-here in the docs",
        "AKIA1234 is short; akiaiosfodnn7example is lower case; AKIAIOSFODNNABEXAMPLE is too long",
        "ASIAPACIFICREGIONSXX has no digit",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
        "A file that starts with -----BEGIN RSA PRIVATE KEY----- is a private key.",
        "eyJhbGciOiJIUzI1NiJ9 is just a header",
        "version 1.2.3 and file.tar.gz and www.example.com.au",
        "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl is half a token",
        "NotAnId-AbCdEfGhIjKlMnOpQrSt.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "see https://example.org/sk-docs/page and path/to/sk-file",
    };
    for (String text : ordinary) {
      assertThat(in(text)).as(text).isEmpty();
      assertThat(LeakPatterns.redact(text)).as(text).isEqualTo(text);
    }
  }
}
