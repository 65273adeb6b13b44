package io.hearth.bench.pitjoin;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.semantics.FeatureEvaluator;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.training.ResolvedFeature;
import io.hearth.compute.training.Spine;
import io.hearth.node.CacheLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Where Hearth's time goes: the join's phases replayed by bench code on one thread, each timed (second of two runs):
 * map rows to nodes, sort by entity, read events (EventReads, chunks of 2048 entities), evaluate. (TrainingSetTask's
 * jobs now run one per core and may scan whole local partitions instead of reading by key: this is the old shape.)
 */
final class Breakdown {
    private Breakdown() {
    }

    static void print(Ignite ignite, Definitions defs, Spine spine) {
        replay(ignite, defs, spine, "join", HearthLoader.PLAIN);
        replay(ignite, defs, spine, "windows", HearthLoader.WINDOWS);
    }

    private static void replay(Ignite ignite, Definitions defs, Spine spine, String label, List<String> refs) {
        List<ResolvedFeature> fs = ResolvedFeature.resolve(defs, refs.stream().map(FeatureRef::parse).toList());
        double[] t = new double[4];
        for (int rep = 0; rep < 2; rep++) { // second run reported
            String[] ents = spine.entities();
            long[] times = spine.times();
            long t0 = System.nanoTime();
            Affinity<Object> aff = ignite.affinity(CacheLayout.eventsCache("ev"));
            Map<ClusterNode, List<Integer>> byNode = new HashMap<>();
            for (int r = 0; r < ents.length; r++) {
                byNode.computeIfAbsent(aff.mapKeyToNode(ents[r]), k -> new ArrayList<>()).add(r);
            }
            long t1 = System.nanoTime();
            Integer[] order = new Integer[ents.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing(i -> ents[i]));
            long t2 = System.nanoTime();
            IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache("ev"));
            long read = 0;
            long eval = 0;
            long sink = 0;
            int i = 0;
            while (i < order.length) {
                List<String> chunk = new ArrayList<>();
                int j = i;
                long maxT = Long.MIN_VALUE;
                while (j < order.length && (chunk.size() < 2048 || ents[order[j]].equals(chunk.get(chunk.size() - 1)))) {
                    String e = ents[order[j]];
                    if (chunk.isEmpty() || !chunk.get(chunk.size() - 1).equals(e)) {
                        chunk.add(e);
                    }
                    maxT = Math.max(maxT, times[order[j]]);
                    j++;
                }
                long r0 = System.nanoTime();
                Map<String, EventReads.EntityEvents> evs = EventReads.read(cache, "ev", chunk, Long.MIN_VALUE + 1, maxT);
                long r1 = System.nanoTime();
                for (int k = i; k < j; k++) {
                    int r = order[k];
                    EventReads.EntityEvents ev = evs.get(ents[r]);
                    for (ResolvedFeature f : fs) {
                        FeatureValue v = ev == null
                            ? FeatureEvaluator.evaluate(f.view(), f.feature(), f.source(), null, false, times[r])
                            : FeatureEvaluator.evaluate(f.view(), f.feature(), f.source(), ev.events(),
                            ev.anyAtOrBefore(times[r]), times[r]);
                        sink += v.value() == null ? 0 : v.value().hashCode();
                    }
                }
                read += r1 - r0;
                eval += System.nanoTime() - r1;
                i = j;
            }
            t = new double[] {Comparison.secs(t1 - t0), Comparison.secs(t2 - t1), Comparison.secs(read),
                Comparison.secs(eval)};
            if (sink == 42) {
                Report.line(""); // keep the evaluation alive
            }
        }
        Report.line("   breakdown %-8s (bench code replaying the node job, 1 thread): map %.3f s, sort by entity %.3f s, "
            + "read events %.3f s, evaluate %.3f s", label, t[0], t[1], t[2], t[3]);
    }
}
