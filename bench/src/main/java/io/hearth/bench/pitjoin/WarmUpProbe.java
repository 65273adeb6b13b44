package io.hearth.bench.pitjoin;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --probe N}: the plain join run N times right after the load, with each run's wall time, GC time, the JIT
 * compilers' time (their threads are not among the ones below) and the CPU time of this JVM's threads during it,
 * grouped by name without numbers (the join's jobs are {@code pub-…}, the background fold {@code hearth-log-fold}):
 * what a join right after a back-fill competes with. It warms the JIT, so the figures measured after it are no
 * longer those of a cold node.
 */
final class WarmUpProbe {
    private WarmUpProbe() {
    }

    static void run(int runs, Comparison.Work join) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 1; i <= runs; i++) {
            Map<Long, Long> before = cpu(threads);
            long gc0 = Comparison.gcMillis();
            long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long t0 = System.nanoTime();
            join.run();
            double wall = Comparison.secs(System.nanoTime() - t0);
            double gc = (Comparison.gcMillis() - gc0) / 1e3;
            double jit = (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0) / 1e3;
            Map<String, Long> byName = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                ThreadInfo info = threads.getThreadInfo(id);
                long spent = threads.getThreadCpuTime(id) - before.getOrDefault(id, 0L);
                if (info != null && spent > 0) {
                    byName.merge(info.getThreadName().replaceAll("[-#]?\\d+", ""), spent, Long::sum);
                }
            }
            String top = byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5).map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
            Report.line("   probe run %d: %.3f s (gc %.3f, JIT compiling %.2f); CPU s by thread: %s", i, wall, gc, jit, top);
        }
    }

    private static Map<Long, Long> cpu(ThreadMXBean threads) {
        Map<Long, Long> out = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            out.put(id, threads.getThreadCpuTime(id));
        }
        return out;
    }
}
