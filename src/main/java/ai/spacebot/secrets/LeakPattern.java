package ai.spacebot.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Well-known credential formats, blocked on the way out even when the value is not a known secret. Each has a
 * literal that must occur before its expression runs (most text has none, so checking is cheap) and a check on
 * the match that keeps look-alikes out: a key body must look random (a long run of letters and digits with
 * both), a Discord token's first part must decode to a numeric id.
 */
public enum LeakPattern {
  ANTHROPIC_API_KEY("anthropic_api_key", new String[] {"sk-ant-"}, "(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{24,}",
      LeakPattern::looksRandom),
  OPENAI_API_KEY("openai_api_key", new String[] {"sk-"},
      "(?<![A-Za-z0-9_-])sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{24,}", LeakPattern::looksRandom),
  GITHUB_TOKEN("github_token", new String[] {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
      "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})(?![A-Za-z0-9_])",
      LeakPattern::looksRandom),
  SLACK_TOKEN("slack_token", new String[] {"xox"}, "(?<![A-Za-z0-9_-])xox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{8,}",
      LeakPattern::looksRandom),
  AWS_ACCESS_KEY("aws_access_key", new String[] {"AKIA", "ASIA"}, "(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])",
      m -> m.chars().skip(4).anyMatch(Character::isDigit)),
  PRIVATE_KEY("private_key", new String[] {"PRIVATE KEY"},
      "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\\s*(?:[A-Za-z-]+: [^\\n]*\\s*)*[A-Za-z0-9+/=]{32,}",
      m -> true),
  JWT("jwt", new String[] {"eyJ"},
      "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])",
      m -> true),
  DISCORD_BOT_TOKEN("discord_bot_token", null,
      "(?<![A-Za-z0-9_.-])[MN][A-Za-z0-9_-]{22,27}\\.[A-Za-z0-9_-]{6,7}\\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])",
      LeakPattern::firstPartIsAnId);

  private final String wireName;
  /** One of these must occur for the expression to be worth running (null: {@link #hasLongRunBeforeADot}). */
  private final String[] literals;
  private final Pattern pattern;
  private final Predicate<String> plausible;

  LeakPattern(String wireName, String[] literals, String regex, Predicate<String> plausible) {
    this.wireName = wireName;
    this.literals = literals;
    this.pattern = Pattern.compile(regex);
    this.plausible = plausible;
  }

  /** The name events and redactions carry, e.g. {@code openai_api_key}. */
  public String wireName() {
    return wireName;
  }

  /** Where the first plausible match starts in {@code text}, or -1; {@code end[0]} receives its end. */
  int find(CharSequence text, int[] end) {
    String s = text.toString();
    boolean worth = false;
    if (literals == null) {
      worth = hasLongRunBeforeADot(s);
    } else {
      for (String literal : literals) {
        worth |= s.contains(literal);
      }
    }
    if (!worth) {
      return -1;
    }
    Matcher m = pattern.matcher(s);
    while (m.find()) {
      if (plausible.test(m.group())) {
        end[0] = m.end();
        return m.start();
      }
    }
    return -1;
  }

  /**
   * Whether a dot follows 23+ base64url characters somewhere (a Discord token's first part): a dot is in almost
   * every text, so this keeps the expression from running on ordinary prose.
   */
  static boolean hasLongRunBeforeADot(String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.' && run >= 23) {
        return true;
      }
      run = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' ? run + 1 : 0;
    }
    return false;
  }

  /** A run of 16+ letters and digits holding both: random key material, not a word or a slug. */
  static boolean looksRandom(String match) {
    int run = 0;
    boolean digit = false;
    boolean letter = false;
    for (int i = 0; i < match.length(); i++) {
      char c = match.charAt(i);
      if (Character.isLetterOrDigit(c) && c < 128) {
        run++;
        digit |= Character.isDigit(c);
        letter |= Character.isLetter(c);
        if (run >= 16 && digit && letter) {
          return true;
        }
      } else {
        run = 0;
        digit = false;
        letter = false;
      }
    }
    return false;
  }

  /** A Discord bot token starts with the bot's id (a 17–20 digit snowflake) in base64. */
  static boolean firstPartIsAnId(String match) {
    String first = match.substring(0, match.indexOf('.'));
    try {
      String id = new String(Base64.getUrlDecoder().decode(first), StandardCharsets.ISO_8859_1);
      return id.length() >= 17 && id.length() <= 20 && id.chars().allMatch(Character::isDigit);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
