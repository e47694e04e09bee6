package ai.spacebot.bench.quality;

import java.util.Locale;

/** How a question relates to the words of its evidence. */
public enum QuestionKind {
  /** Shares the rare words (names, product names, key phrases) with the evidence. */
  LEXICAL,
  /** Shares one anchor (a name or the key phrase) and paraphrases the rest. */
  MIXED,
  /** Shares no content word with the evidence: synonyms and descriptions only. */
  PARAPHRASE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static QuestionKind parse(String s) {
    return valueOf(s.strip().toUpperCase(Locale.ROOT));
  }
}
