package io.hearth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.lineage.BackfillRun;
import io.hearth.catalog.lineage.TrainingRun;
import io.hearth.node.store.LineageStore;
import io.hearth.node.store.UsageStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs and usage counts kept in the cluster: read back whole, after a restart, and summed across writers. */
class LineageAndUsageStoresIT {
    @TempDir
    Path dir;

    private static TrainingRun run(String id, String name, long at) {
        return new TrainingRun(id, name, "churn_model_v1", List.of("customer_orders:spend_7d"), "CSV upload: 2 rows", 2,
            at, at + 100, TrainingRun.COMPLETE, null, "table TRAINING." + name.toUpperCase(), "ana");
    }

    @Test
    void runsAreReadBackNewestFirstTheSequenceMovesWithEachAndBothSurviveARestart() {
        NodeSettings settings = TestNodes.single(dir);
        try (HearthNode node = new HearthNode(settings).start()) {
            LineageStore runs = new LineageStore(node.ignite());
            assertThat(runs.sequence()).isZero();
            runs.record(run("r1", "a", 1_000));
            runs.record(run("r2", "b", 2_000));
            runs.start(new BackfillRun("b1", "orders", List.of(new BackfillRun.BackfillFile("o.csv", null, 0)), 3_000, 0,
                BackfillRun.RUNNING, 0, 0, 0, null, "anonymous"));
            assertThat(runs.sequence()).isEqualTo(3);
            BackfillRun ended = runs.end("b1", r -> r.ended(BackfillRun.COMPLETE, 4_000,
                List.of(new BackfillRun.BackfillFile("o.csv", "file:abc", 10)), 9, 0, 1, null)).orElseThrow();
            assertThat(ended.status()).isEqualTo("COMPLETE");
            assertThat(runs.end("nope", r -> r)).isEmpty();
            assertThatThrownBy(() -> runs.end("b1", r -> {
                throw new IllegalStateException("ended already");
            })).hasMessageContaining("ended already");
            assertThat(runs.sequence()).as("a refused end writes nothing").isEqualTo(4);
            assertThatThrownBy(() -> runs.record(run("r3", "c", 5_000).ended(TrainingRun.RUNNING, 0, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        }
        try (HearthNode node = new HearthNode(settings).start()) {
            LineageStore.Snapshot s = new LineageStore(node.ignite()).snapshot();
            assertThat(s.sequence()).isEqualTo(4);
            assertThat(s.runs().training()).extracting(TrainingRun::runId).containsExactly("r2", "r1");
            assertThat(s.runs().training().get(0)).isEqualTo(run("r2", "b", 2_000));
            assertThat(s.runs().backfills()).singleElement().satisfies(b -> {
                assertThat(b.stored()).isEqualTo(9);
                assertThat(b.files()).containsExactly(new BackfillRun.BackfillFile("o.csv", "file:abc", 10));
            });
        }
    }

    @Test
    void usageCountedByConcurrentWritersAddsUp() throws Exception {
        try (HearthNode node = new HearthNode(TestNodes.single(dir)).start()) {
            UsageStore usage = new UsageStore(node.ignite());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> done = new java.util.ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    long at = 1_000L * (w + 1);
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 20; i++) {
                            usage.add(Map.of("v:a", new UsageStore.Usage(at, Map.of("svc", 2L, UsageStore.NO_SERVICE, 1L)),
                                "v:b", new UsageStore.Usage(at, Map.of("svc", 1L))));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(usage.get("v:a")).contains(new UsageStore.Usage(3_000, Map.of("svc", 120L, "-", 60L)));
            assertThat(usage.get("v:b").orElseThrow().lookups()).containsEntry("svc", 60L);
            assertThat(usage.get("v:never")).isEmpty();
        }
    }
}
