package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored piece of a partition's log: the events of some entities, each entity's in ingest order (not sorted by
 * time: readers and the fold sort them by the one rule, {@link EventBlock#sorted}), with their event id hashes when
 * the source has ids. Entities are ordered by ({@link RunRef#entityHash}, key), and each entity's events are one run
 * {@code [offsets[i], offsets[i+1])} of one block. A fresh delta is one chunk; a merged run is several, cut between
 * entities at about {@link #TARGET_EVENTS}.
 *
 * <p>On its way from a writer to the receiver a delta also carries each event's place (a Kafka partition and offset,
 * see {@link Places}), so that a receiver that finds part of a replayed batch already applied can drop exactly those
 * events; the stored chunk has none ({@link #stored()}).
 */
public final class RunChunk {
    /** Events a merged chunk aims at: a reader of one entity decodes about this many. */
    public static final int TARGET_EVENTS = 128;

    private final String[] entities;
    private final long[] hashes;
    private final int[] offsets;
    private final EventBlock events;
    private final Places places; // in transit only

    RunChunk(String[] entities, long[] hashes, int[] offsets, EventBlock events, Places places) {
        this.entities = entities;
        this.hashes = hashes;
        this.offsets = offsets;
        this.events = events;
        this.places = places;
    }

    /**
     * A delta of the given entities' new events (each entity's block in arrival order, with its ids), carrying
     * {@code places} (or null) to the receiver.
     */
    public static RunChunk of(Map<String, EventBlock> byEntity, Places places) {
        String[] names = byEntity.keySet().toArray(String[]::new);
        long[] h = new long[names.length];
        Integer[] order = new Integer[names.length];
        for (int i = 0; i < names.length; i++) {
            h[i] = RunRef.entityHash(names[i]);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> h[i]).thenComparing(i -> names[i]));
        String[] sortedNames = new String[names.length];
        long[] sortedHashes = new long[names.length];
        int[] offsets = new int[names.length + 1];
        List<EventBlock> blocks = new ArrayList<>(names.length);
        for (int k = 0; k < order.length; k++) {
            sortedNames[k] = names[order[k]];
            sortedHashes[k] = h[order[k]];
            EventBlock b = byEntity.get(sortedNames[k]);
            blocks.add(b);
            offsets[k + 1] = offsets[k] + b.size();
        }
        Places sortedPlaces = places == null ? null : places.inOrder(sortedNames);
        return new RunChunk(sortedNames, sortedHashes, offsets, EventBlock.concatIncoming(blocks), sortedPlaces);
    }

    public int entityCount() {
        return entities.length;
    }

    public int eventCount() {
        return offsets[entities.length];
    }

    String entity(int i) {
        return entities[i];
    }

    long hash(int i) {
        return hashes[i];
    }

    Places places() {
        return places;
    }

    /** This delta carrying other places (for the same events). */
    RunChunk withPlaces(Places p) {
        return new RunChunk(entities, hashes, offsets, events, p);
    }

    /** This chunk as it is stored: without the places it carried. */
    RunChunk stored() {
        return places == null ? this : new RunChunk(entities, hashes, offsets, events, null);
    }

    /** Position of an entity in this chunk, or -1. */
    int indexOf(String entity) {
        long h = RunRef.entityHash(entity);
        int i = Arrays.binarySearch(hashes, h);
        if (i < 0) {
            return -1;
        }
        while (i > 0 && hashes[i - 1] == h) {
            i--;
        }
        for (; i < hashes.length && hashes[i] == h; i++) {
            if (entities[i].equals(entity)) {
                return i;
            }
        }
        return -1;
    }

    /** The entity's events here in ingest order (with their ids), or null when it has none here. */
    public EventBlock eventsOf(String entity) {
        int i = indexOf(entity);
        return i < 0 ? null : eventsAt(i);
    }

    EventBlock eventsAt(int i) {
        int from = offsets[i];
        int to = offsets[i + 1];
        if (from == 0 && to == events.size()) {
            return events;
        }
        int[] rows = new int[to - from];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = from + k;
        }
        return events.select(rows);
    }

    /** This delta without the events {@code drop} says (by position in the chunk); null when none is left. */
    RunChunk without(boolean[] drop) {
        Map<String, EventBlock> kept = new HashMap<>();
        List<Integer> keptRows = new ArrayList<>();
        for (int e = 0; e < entities.length; e++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = offsets[e]; i < offsets[e + 1]; i++) {
                if (!drop[i]) {
                    rows.add(i);
                }
            }
            if (!rows.isEmpty()) {
                kept.put(entities[e], events.select(rows.stream().mapToInt(Integer::intValue).toArray()));
                keptRows.addAll(rows);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        // Rebuilt in the same entity order, so the kept rows' places line up with the new events.
        Places p = places == null ? null : places.select(keptRows.stream().mapToInt(Integer::intValue).toArray());
        RunChunk c = of(kept, null);
        return new RunChunk(c.entities, c.hashes, c.offsets, c.events, p);
    }

    /**
     * Chunks of a run made of {@code parts} (older first): each entity's events of every part, one after another in
     * that order, cut between entities into chunks of about {@code target} events.
     */
    static List<RunChunk> merge(List<RunChunk> parts, int target) {
        Map<String, List<EventBlock>> byEntity = new HashMap<>();
        Map<String, Long> hashOf = new HashMap<>();
        for (RunChunk c : parts) {
            for (int i = 0; i < c.entities.length; i++) {
                byEntity.computeIfAbsent(c.entities[i], k -> new ArrayList<>()).add(c.eventsAt(i));
                hashOf.put(c.entities[i], c.hashes[i]);
            }
        }
        List<String> names = new ArrayList<>(byEntity.keySet());
        names.sort(Comparator.<String>comparingLong(hashOf::get).thenComparing(Comparator.naturalOrder()));
        List<RunChunk> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        List<EventBlock> curBlocks = new ArrayList<>();
        int curEvents = 0;
        for (int k = 0; k < names.size(); k++) {
            String e = names.get(k);
            List<EventBlock> bs = byEntity.get(e);
            EventBlock all = bs.size() == 1 ? bs.get(0) : EventBlock.concatIncoming(bs);
            cur.add(e);
            curBlocks.add(all);
            curEvents += all.size();
            boolean lastOfHash = k + 1 == names.size() || hashOf.get(names.get(k + 1)).longValue() != hashOf.get(e);
            if (curEvents >= target && lastOfHash) { // entities of one hash share a chunk: bounds are by hash
                out.add(chunkOf(cur, curBlocks, hashOf));
                cur = new ArrayList<>();
                curBlocks = new ArrayList<>();
                curEvents = 0;
            }
        }
        if (!cur.isEmpty()) {
            out.add(chunkOf(cur, curBlocks, hashOf));
        }
        return out;
    }

    private static RunChunk chunkOf(List<String> names, List<EventBlock> blocks, Map<String, Long> hashOf) {
        int n = names.size();
        long[] h = new long[n];
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            h[i] = hashOf.get(names.get(i));
            offsets[i + 1] = offsets[i] + blocks.get(i).size();
        }
        return new RunChunk(names.toArray(String[]::new), h, offsets, EventBlock.concatIncoming(blocks), null);
    }

    /** The manifest entry of a run made of {@code chunks} (in hash order). */
    static RunRef ref(long id, long seqLo, long seqHi, long born, List<RunChunk> chunks) {
        long[] bounds = new long[chunks.size()];
        int total = 0;
        int entities = 0;
        for (RunChunk c : chunks) {
            entities += c.entities.length;
        }
        long[] all = new long[entities];
        int[] chunkOf = new int[entities];
        int k = 0;
        for (int c = 0; c < chunks.size(); c++) {
            RunChunk ch = chunks.get(c);
            bounds[c] = c == 0 ? Long.MIN_VALUE : ch.hashes[0];
            total += ch.eventCount();
            for (long h : ch.hashes) {
                all[k] = h;
                chunkOf[k++] = c;
            }
        }
        return new RunRef(id, seqLo, seqHi, total, entities, born, bounds, RunRef.filters(chunks.size(), all, chunkOf));
    }
}
