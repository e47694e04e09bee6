package ai.spacebot.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled matcher over every form of every known value (an Aho–Corasick automaton turned into a transition
 * table): one pass over the text finds every occurrence, overlapping ones included. Immutable; built again when
 * the known values change. Overlapping or nested occurrences (one secret a prefix of another, two secrets
 * sharing characters) are merged into one redaction, so no fragment of either survives.
 */
final class Redactor {
  /** No known values: one state that every character leads back to (a stream is scanned with it too). */
  static final Redactor EMPTY = new Redactor(new String[0], new char[0], new int[1], new int[1], new int[1],
      new int[1], new int[1], 1);

  /** One stretch of text that holds a known value, {@code [start, end)}, and the names found in it. */
  record Span(int start, int end, Set<String> names) {}

  private final String[] names;
  /** Character classes: {@code classChars[i]} is class {@code i + 1}; every other character is class 0. */
  private final char[] classChars;
  private final int[] asciiClass;
  private final int[] table;
  /** Per state: length of the longest form ending here (0: none), its name, and the state's depth. */
  private final int[] matchLength;
  private final int[] matchName;
  private final int[] depth;
  private final int width;
  private final Map<Character, Integer> otherClass;

  private Redactor(String[] names, char[] classChars, int[] table, int[] matchLength, int[] matchName, int[] depth,
      int[] asciiClass, int width) {
    this.names = names;
    this.classChars = classChars;
    this.table = table;
    this.matchLength = matchLength;
    this.matchName = matchName;
    this.depth = depth;
    this.width = width;
    this.asciiClass = asciiClass.length == 128 ? asciiClass : new int[128];
    this.otherClass = new HashMap<>();
    for (int i = 0; i < classChars.length; i++) {
      if (classChars[i] >= 128) {
        otherClass.put(classChars[i], i + 1);
      }
    }
  }

  static Redactor build(Collection<KnownSecrets.Entry> entries) {
    if (entries.isEmpty()) {
      return EMPTY;
    }
    // Longer values first, so a form shared by two values is named after the longer one.
    List<KnownSecrets.Entry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> b.value().length() != a.value().length() ? b.value().length() - a.value().length()
        : a.name().compareTo(b.name()));
    List<String> names = new ArrayList<>();
    Map<String, Integer> forms = new LinkedHashMap<>();
    for (KnownSecrets.Entry e : sorted) {
      int name = names.indexOf(e.name());
      if (name < 0) {
        names.add(e.name());
        name = names.size() - 1;
      }
      for (String form : SecretEncodings.of(e.value())) {
        forms.putIfAbsent(form, name);
      }
    }
    // The alphabet: only characters that occur in some form get a column.
    Set<Character> alphabet = new LinkedHashSet<>();
    forms.keySet().forEach(f -> f.chars().forEach(c -> alphabet.add((char) c)));
    char[] classChars = new char[alphabet.size()];
    int[] ascii = new int[128];
    Map<Character, Integer> cls = new HashMap<>();
    int k = 0;
    for (char c : alphabet) {
      classChars[k] = c;
      cls.put(c, k + 1);
      if (c < 128) {
        ascii[c] = k + 1;
      }
      k++;
    }
    int width = classChars.length + 1;
    // The trie, as growable lists of rows.
    List<int[]> goTo = new ArrayList<>();
    List<Integer> len = new ArrayList<>();
    List<Integer> nm = new ArrayList<>();
    List<Integer> dp = new ArrayList<>();
    goTo.add(filled(width));
    len.add(0);
    nm.add(-1);
    dp.add(0);
    for (Map.Entry<String, Integer> f : forms.entrySet()) {
      int state = 0;
      String form = f.getKey();
      for (int i = 0; i < form.length(); i++) {
        int c = cls.get(form.charAt(i));
        int next = goTo.get(state)[c];
        if (next < 0) {
          goTo.add(filled(width));
          len.add(0);
          nm.add(-1);
          dp.add(dp.get(state) + 1);
          next = goTo.size() - 1;
          goTo.get(state)[c] = next;
        }
        state = next;
      }
      if (len.get(state) < form.length()) {
        len.set(state, form.length());
        nm.set(state, f.getValue());
      }
    }
    int states = goTo.size();
    int[] table = new int[states * width];
    int[] fail = new int[states];
    int[] matchLength = new int[states];
    int[] matchName = new int[states];
    int[] depth = new int[states];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < width; c++) {
      int next = goTo.get(0)[c];
      table[c] = Math.max(next, 0);
      if (next > 0) {
        fail[next] = 0;
        queue.add(next);
      }
    }
    for (int s = 0; s < states; s++) {
      matchLength[s] = len.get(s);
      matchName[s] = nm.get(s);
      depth[s] = dp.get(s);
    }
    // Breadth first: a state's failure state is shallower, so its row and its match are final already.
    while (!queue.isEmpty()) {
      int s = queue.poll();
      if (matchLength[s] == 0 && matchLength[fail[s]] > 0) {
        matchLength[s] = matchLength[fail[s]];
        matchName[s] = matchName[fail[s]];
      }
      for (int c = 0; c < width; c++) {
        int next = goTo.get(s)[c];
        if (next > 0) {
          fail[next] = table[fail[s] * width + c];
          table[s * width + c] = next;
          queue.add(next);
        } else {
          table[s * width + c] = table[fail[s] * width + c];
        }
      }
    }
    return new Redactor(names.toArray(String[]::new), classChars, table, matchLength, matchName, depth, ascii, width);
  }

  private static int[] filled(int width) {
    int[] row = new int[width];
    Arrays.fill(row, -1);
    return row;
  }

  boolean isEmpty() {
    return names.length == 0;
  }

  private int classOf(char c) {
    if (c < 128) {
      return asciiClass[c];
    }
    Integer k = otherClass.get(c);
    return k == null ? 0 : k;
  }

  /** Every stretch holding a known value, merged where they overlap, in order. */
  List<Span> spans(CharSequence text) {
    if (names.length == 0) {
      return List.of();
    }
    List<Span> spans = null;
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      state = next(state, text.charAt(i));
      if (matchLength[state] > 0) {
        if (spans == null) {
          spans = new ArrayList<>();
        }
        addMatch(spans, state, i + 1);
      }
    }
    return spans == null ? List.of() : spans;
  }

  int next(int state, char c) {
    return table[state * width + classOf(c)];
  }

  /** How many characters the state has matched of the form it is in the middle of (its trie depth). */
  int depth(int state) {
    return depth[state];
  }

  boolean matches(int state) {
    return matchLength[state] > 0;
  }

  /**
   * Adds the longest form ending in {@code state} at {@code end} to {@code spans}. A span it covers whole was
   * part of this value (a secret that is a prefix of another): only this name stays; one it overlaps in part
   * keeps its name too.
   */
  void addMatch(List<Span> spans, int state, int end) {
    int from = end - matchLength[state];
    java.util.Deque<String> earlier = new java.util.ArrayDeque<>();
    while (!spans.isEmpty() && from < spans.get(spans.size() - 1).end()) {
      Span last = spans.remove(spans.size() - 1);
      if (last.start() < from) {
        List<String> kept = new ArrayList<>(last.names());
        for (int n = kept.size() - 1; n >= 0; n--) {
          earlier.addFirst(kept.get(n));
        }
        from = last.start();
      }
    }
    Set<String> merged = new LinkedHashSet<>(earlier);
    merged.add(names[matchName[state]]);
    spans.add(new Span(from, end, merged));
  }

  /**
   * How many characters at the end of {@code text} could still be the beginning of a form: the longest suffix
   * that is a proper or whole prefix of one.
   */
  int pendingTail(CharSequence text) {
    if (names.length == 0) {
      return 0;
    }
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      state = table[state * width + classOf(text.charAt(i))];
    }
    return depth[state];
  }

  /** {@code text} with each span replaced by {@code [REDACTED:NAME]} (names joined by commas when merged). */
  static String apply(String text, List<Span> spans, int limit) {
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (Span s : spans) {
      if (s.end() > limit) {
        break;
      }
      out.append(text, at, s.start()).append(label(s.names()));
      at = s.end();
    }
    out.append(text, at, limit);
    return out.toString();
  }

  static String label(Set<String> names) {
    return "[REDACTED:" + String.join(",", names) + "]";
  }

  String redact(String text) {
    List<Span> spans = spans(text);
    return spans.isEmpty() ? text : apply(text, spans, text.length());
  }
}
