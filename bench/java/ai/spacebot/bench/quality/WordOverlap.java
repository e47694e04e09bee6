package ai.spacebot.bench.quality;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Content words a question shares with its evidence, counted more broadly than any stemmer would
 * conflate them: words are shared when equal, a plural of one another, one a prefix of the other
 * (from four letters) or alike in their first five letters. So "allergy"/"allergic", "settle"/
 * "settled" or "day"/"days" can't make a paraphrase question look harder than it is, whichever
 * analyser the full-text index uses.
 */
final class WordOverlap {
  private static final Set<String> STOP = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been", "to", "of", "in",
      "on", "at", "for", "with", "by", "from", "and", "or", "but", "it", "its", "this", "that", "these", "those", "i", "im",
      "me", "my", "we", "our", "us", "you", "your", "he", "she", "they", "them", "their", "his", "her", "who", "whom", "whose",
      "what", "when", "where", "which", "why", "how", "does", "do", "did", "has", "have", "had", "will", "would", "can",
      "could", "should", "not", "no", "so", "as", "if", "about", "up", "out", "now", "any", "anyone", "someone", "all",
      "just", "than", "then", "there", "here", "after", "into", "over", "per", "each", "s", "t", "ll", "re", "ve", "d",
      "m", "ok", "get", "got", "much", "many", "some", "one", "off");

  private WordOverlap() {}

  static List<String> contentWords(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty() && !STOP.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  static List<String> shared(String question, List<String> evidence) {
    Set<String> theirs = new LinkedHashSet<>();
    evidence.forEach(e -> theirs.addAll(contentWords(e)));
    Set<String> out = new LinkedHashSet<>();
    for (String w : contentWords(question)) {
      for (String e : theirs) {
        if (related(w, e)) {
          out.add(w);
          break;
        }
      }
    }
    return List.copyOf(out);
  }

  private static boolean related(String a, String b) {
    if (a.equals(b) || plural(a, b) || plural(b, a)) {
      return true;
    }
    int shorter = Math.min(a.length(), b.length());
    if (shorter >= 4 && (a.startsWith(b) || b.startsWith(a))) {
      return true;
    }
    return shorter >= 5 && a.regionMatches(0, b, 0, 5);
  }

  /** "days" and "day" are one word to a stemmer, however short. */
  private static boolean plural(String word, String base) {
    return word.equals(base + "s") || word.equals(base + "es");
  }
}
