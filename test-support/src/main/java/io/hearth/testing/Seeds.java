package io.hearth.testing;

import java.util.stream.LongStream;

/**
 * The one seed convention of Hearth's randomized tests: every such test takes its seed from here, prints it, and
 * puts it in its assertion messages; {@code -Dhearth.seed=N} replays that run exactly.
 */
public final class Seeds {
    /** The system property that replays a run. */
    public static final String PROPERTY = "hearth.seed";

    private Seeds() {
    }

    /** The seed of a test: the one {@code -Dhearth.seed} gives, else a fresh one. Printed with the test's name. */
    public static long seed(String test) {
        Long given = Long.getLong(PROPERTY);
        long seed = given != null ? given : System.nanoTime() ^ ((long) test.hashCode() << 32);
        System.out.println(test + ": " + replay(seed));
        return seed;
    }

    /**
     * The seeds of a test that runs a fixed list of them (duels over many small cases): the list, or only the one
     * {@code -Dhearth.seed} gives.
     */
    public static LongStream seeds(long... fixed) {
        Long given = Long.getLong(PROPERTY);
        return given != null ? LongStream.of(given) : LongStream.of(fixed);
    }

    /** Seeds 1 to {@code n}, or only the one {@code -Dhearth.seed} gives. */
    public static LongStream range(int n) {
        Long given = Long.getLong(PROPERTY);
        return given != null ? LongStream.of(given) : LongStream.rangeClosed(1, n);
    }

    /** "seed N (replay with -Dhearth.seed=N)", for assertion messages. */
    public static String replay(long seed) {
        return "seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")";
    }
}
