package io.hearth.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The closest real names to a name that was not found, for error messages that end with the fix ("did you mean
 * 'customer_orders:last_amount'?"). A candidate is close when it is within a few edits (a third of the name's
 * length, at least two), differs only in case, or starts with or contains the name; of the close ones, only the
 * closest are named.
 */
public final class Suggest {
    private static final int MAX = 3;

    private Suggest() {
    }

    /** Up to three candidates closest to {@code name}, closest first; empty when none is close. */
    public static List<String> closest(String name, Collection<String> candidates) {
        if (name == null || name.isEmpty()) {
            return List.of();
        }
        String n = name.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, n.length() / 3);
        record Scored(String candidate, int score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d;
            if (lc.equals(n)) {
                d = 0;
            } else if (n.length() >= 3 && (lc.startsWith(n) || lc.contains(n))) {
                d = 1;
            } else {
                d = distance(n, lc, limit + 1);
            }
            if (d <= limit) {
                scored.add(new Scored(c, d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::candidate));
        int best = scored.isEmpty() ? 0 : scored.get(0).score();
        return scored.stream().filter(x -> x.score() == best).limit(MAX).map(Scored::candidate).toList();
    }

    /** "; did you mean 'a' or 'b'?" for the closest candidates, or "" when none is close. */
    public static String hint(String name, Collection<String> candidates) {
        List<String> c = closest(name, candidates);
        if (c.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("; did you mean ");
        for (int i = 0; i < c.size(); i++) {
            if (i > 0) {
                sb.append(i == c.size() - 1 ? " or " : ", ");
            }
            sb.append('\'').append(c.get(i)).append('\'');
        }
        return sb.append('?').toString();
    }

    /** Levenshtein distance, or {@code cap} when it is at least that (the rest is not computed). */
    static int distance(String a, String b, int cap) {
        if (Math.abs(a.length() - b.length()) >= cap) {
            return cap;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin >= cap) {
                return cap;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[b.length()], cap);
    }
}
