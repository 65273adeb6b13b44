package io.hearth.bench.pitjoin;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * How every figure is timed: a piece of work runs twice and the second (JIT-warm) run is reported, beside the first
 * and the GC time during the second; a comparison runs Hearth's work twice, then DuckDB's, and reports
 * ratio = duckdb / hearth (> 1: Hearth faster).
 */
final class Comparison {
    private Comparison() {
    }

    interface Work {
        void run() throws Exception;
    }

    interface Part<T> {
        T run() throws Exception;
    }

    /** One side's figures in seconds: the first run, the second, and GC time during the second. */
    record Timing(double first, double second, double gc) {
    }

    /** Hearth's and DuckDB's timings of the same result. */
    record Compared(Timing hearth, Timing duck) {
        double ratio() {
            return duck.second() / hearth.second();
        }

        /** {@code label  hearth s (note 1st, gc)  duckdb s (1st)  ratio r suffix}. */
        void print(String label, String hearthNote, String suffix) {
            Report.line("%-20shearth %.3f s (%s1st %.3f, gc %.3f)  duckdb %.3f s (1st %.3f)  ratio %.2f%s", label,
                hearth.second(), hearthNote, hearth.first(), hearth.gc(), duck.second(), duck.first(), ratio(), suffix);
        }
    }

    static Compared compare(Work hearth, Work duck) throws Exception {
        Timing h = twice(hearth);
        return new Compared(h, twice(duck));
    }

    static Timing twice(Work w) throws Exception {
        double[] t = new double[3];
        for (int i = 0; i < 2; i++) {
            long g0 = gcMillis();
            long t0 = System.nanoTime();
            w.run();
            t[i] = secs(System.nanoTime() - t0);
            t[2] = (gcMillis() - g0) / 1e3;
        }
        return new Timing(t[0], t[1], t[2]);
    }

    /** One part of a work timed twice, timed on its own in each run: {@link #second()} is the second run's. */
    static final class Split {
        private final List<Double> secs = new ArrayList<>();

        <T> T time(Part<T> part) throws Exception {
            long t0 = System.nanoTime();
            T result = part.run();
            secs.add(secs(System.nanoTime() - t0));
            return result;
        }

        double first() {
            return secs.get(0);
        }

        double second() {
            return secs.get(1);
        }
    }

    static double secs(long nanos) {
        return nanos / 1e9;
    }

    /** Total time the JVM's collectors report (pauses and, for concurrent collectors, cycle time). */
    static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }
}
