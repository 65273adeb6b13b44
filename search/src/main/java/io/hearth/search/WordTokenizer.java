package io.hearth.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Splits text into the words people read in names: runs of letters and digits, cut again where a name's words meet
 * ({@code orderValue}, {@code HTTPServer}, {@code p99Latency}, {@code amount7d}), keeping a number with a short unit
 * after it ({@code 7d}, {@code 30d}) and short prefixes with their number ({@code v1}, {@code p99}). An English
 * possessive ({@code customer's}) is its word. Offsets point at each word, for highlighting. Lucene's
 * WordDelimiterGraphFilter does most of this but joins a number to the capital after it ({@code p99Latency} stays one
 * word), which camelCase feature names do often.
 */
final class WordTokenizer extends Tokenizer {
    /** Text read per field; the rest is not indexed (names and descriptions are far shorter). */
    static final int MAX_CHARS = 32 * 1024;

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private String text;
    private List<int[]> spans;
    private int next;

    @Override
    public boolean incrementToken() throws IOException {
        clearAttributes();
        if (text == null) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1024];
            for (int n; sb.length() < MAX_CHARS && (n = input.read(buf)) > 0; ) {
                sb.append(buf, 0, Math.min(n, MAX_CHARS - sb.length()));
            }
            text = sb.toString();
            spans = spans(text);
            next = 0;
        }
        if (next >= spans.size()) {
            return false;
        }
        int[] s = spans.get(next++);
        term.setEmpty().append(text, s[0], s[1]);
        offset.setOffset(correctOffset(s[0]), correctOffset(s[1]));
        return true;
    }

    @Override
    public void end() throws IOException {
        super.end();
        int end = correctOffset(text == null ? 0 : text.length());
        offset.setOffset(end, end);
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        text = null;
        spans = null;
    }

    /** The words of a text, as {start, end} character offsets. */
    static List<int[]> spans(String s) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            int letters = 0; // letters since the word started, to tell "amount7d" (cut) from "v1" (kept)
            int prev = -1;
            while (i < n) {
                int c = s.codePointAt(i);
                if (!Character.isLetterOrDigit(c)) {
                    break;
                }
                if (prev >= 0 && i > start && cut(s, prev, c, i, letters)) {
                    out.add(new int[] {start, i});
                    start = i;
                    letters = 0;
                }
                letters = Character.isLetter(c) ? letters + 1 : letters;
                prev = c;
                i += Character.charCount(c);
            }
            out.add(new int[] {start, i});
            if (i + 1 < n && (s.charAt(i) == '\'' || s.charAt(i) == '’') && (s.charAt(i + 1) == 's' || s.charAt(i + 1) == 'S')
                && (i + 2 >= n || !Character.isLetterOrDigit(s.codePointAt(i + 2)))) {
                i += 2; // a possessive: "customer's" is "customer"
            }
        }
        return out;
    }

    /** Whether a new word starts at {@code c} (at {@code at}) after {@code prev}. */
    private static boolean cut(String s, int prev, int c, int at, int letters) {
        boolean upper = Character.isUpperCase(c);
        if (Character.isLowerCase(prev) && upper) {
            return true; // orderValue
        }
        if (Character.isDigit(prev) && upper) {
            return true; // p99Latency
        }
        if (Character.isUpperCase(prev) && upper) { // HTTPServer: the capital before a lower-case letter starts a word
            int after = at + Character.charCount(c);
            return after < s.length() && Character.isLowerCase(s.codePointAt(after));
        }
        return Character.isLetter(prev) && Character.isDigit(c) && letters >= 3; // amount7d, not v1 or p99
    }
}
