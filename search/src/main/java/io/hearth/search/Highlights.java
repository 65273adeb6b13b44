package io.hearth.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * When a word of an object matches a word of a query, in plain code (the index's query says the same in Lucene's
 * terms), and the text of a hit with its matching words marked for display. Lucene's UnifiedHighlighter did this at
 * half the cost of a whole search (it rebuilds the edit-distance automata of every typo-tolerant word for every page);
 * names and descriptions are short, so walking their words is cheap.
 */
final class Highlights {
    /** A query word this long or longer also matches the words it starts. */
    static final int MIN_PREFIX = 2;
    /**
     * A query word this long or longer (in letters) that no object has (a typo) also matches words within
     * {@link #MAX_EDITS} edits.
     */
    static final int MIN_TYPO = 5;
    static final int MAX_EDITS = 2;

    private Highlights() {
    }

    /**
     * Whether a word of the object ({@code token}, analyzed) matches a query word (analyzed); {@code typo}: the query
     * word is one the catalog does not have, of {@link #MIN_TYPO} letters or more.
     */
    static boolean matches(String token, String word, boolean typo) {
        if (token.equals(word) || word.length() >= MIN_PREFIX && token.startsWith(word)) {
            return true;
        }
        return typo && distance(token, word, MAX_EDITS + 1) <= MAX_EDITS;
    }

    /**
     * {@code text}, HTML-escaped, with every word that matches a query word in {@code <em>}; null when none does.
     */
    static String mark(Analyzer analyzer, String text, List<String> words, java.util.Set<String> typos) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int written = 0;
        boolean any = false;
        try (TokenStream ts = analyzer.tokenStream("highlight", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                String t = term.toString();
                if (offset.startOffset() < written || words.stream().noneMatch(w -> matches(t, w, typos.contains(w)))) {
                    continue;
                }
                escape(text, written, offset.startOffset(), out);
                out.append("<em>");
                escape(text, offset.startOffset(), offset.endOffset(), out);
                out.append("</em>");
                written = offset.endOffset();
                any = true;
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!any) {
            return null;
        }
        escape(text, written, text.length(), out);
        return out.toString();
    }

    private static void escape(String s, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }

    /**
     * Edit distance with adjacent transpositions counted as one edit (as Lucene's fuzzy queries count them), by code
     * point; {@code cap} when it is at least that.
     */
    static int distance(String a, String b, int cap) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        if (Math.abs(x.length - y.length) >= cap) {
            return cap;
        }
        int[][] d = new int[x.length + 1][y.length + 1];
        for (int i = 0; i <= x.length; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= y.length; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= x.length; i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 1; j <= y.length; j++) {
                int cost = x[i - 1] == y[j - 1] ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin >= cap) {
                return cap;
            }
        }
        return Math.min(d[x.length][y.length], cap);
    }
}
