package io.hearth.compute.events;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.semantics.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventBlockTest {
    private static final long NO = EventBlock.NO_CREATED;

    /** A block with one long column "seq" that records each event's arrival number, and a string column "tag". */
    private static EventBlock batch(long[][] tsCreated) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("seq", "tag"), List.of(ColumnType.LONG, ColumnType.STRING));
        for (int i = 0; i < tsCreated.length; i++) {
            b.add(tsCreated[i][0], tsCreated[i][1], 0, new Object[] {(long) i, "e" + i});
        }
        return b.build();
    }

    private static long[] seqs(EventBlock b) {
        Column c = b.column("seq", ColumnType.LONG);
        long[] out = new long[b.size()];
        for (int i = 0; i < b.size(); i++) {
            out[i] = c.longAt(i);
        }
        return out;
    }

    private static String[] tags(EventBlock b) {
        Column c = b.column("tag", ColumnType.STRING);
        String[] out = new String[b.size()];
        for (int i = 0; i < b.size(); i++) {
            out[i] = (String) c.valueAt(i);
        }
        return out;
    }

    // ------------------------------------------------------------------ building and reading

    @Test
    void builderKeepsArrivalOrderAndValues() {
        EventBlock.Builder b = new EventBlock.Builder(List.of("n", "x", "s", "ok", "at"),
            List.of(ColumnType.INT, ColumnType.DOUBLE, ColumnType.STRING, ColumnType.BOOL, ColumnType.TIMESTAMP));
        b.add(30, 7, EventBlock.idHash("a"), new Object[] {3L, 1.5, "three", true, 1234L});
        b.add(10, NO, 0, new Object[] {null, null, null, null, null});
        assertThat(b.size()).isEqualTo(2);
        EventBlock e = b.build();
        assertThat(e.size()).isEqualTo(2);
        assertThat(e.columnNames()).containsExactly("n", "x", "s", "ok", "at");
        assertThat(e.type(3)).isEqualTo(ColumnType.BOOL);
        assertThat(e.ts(0)).isEqualTo(30);
        assertThat(e.ts(1)).isEqualTo(10);
        assertThat(e.created(0)).isEqualTo(7);
        assertThat(e.created(1)).isEqualTo(NO);
        assertThat(e.hasIds()).isTrue();
        assertThat(e.idHash(0)).isEqualTo(EventBlock.idHash("a"));
        assertThat(e.idHash(1)).isZero();
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("n", 3L);
        first.put("x", 1.5);
        first.put("s", "three");
        first.put("ok", true);
        first.put("at", 1234L);
        assertThat(e.row(0)).containsExactlyEntriesOf(first);
        assertThat(e.row(1)).containsOnlyKeys("n", "x", "s", "ok", "at").allSatisfy((k, v) -> assertThat(v).isNull());
    }

    @Test
    void blockWithoutCreatedTimesOrIdsReportsNone() {
        EventBlock e = batch(new long[][] {{1, NO}, {2, NO}});
        assertThat(e.created(0)).isEqualTo(NO);
        assertThat(e.created(1)).isEqualTo(NO);
        assertThat(e.hasIds()).isFalse();
        assertThat(e.idHash(1)).isZero();
    }

    @Test
    void emptyBuilderBuildsEmptyBlock() {
        EventBlock e = new EventBlock.Builder(List.of("x"), List.of(ColumnType.DOUBLE)).build();
        assertThat(e.size()).isZero();
        assertThat(e.sorted().size()).isZero();
        assertThat(e.merge(e).size()).isZero();
        assertThat(EventBlock.concat(List.of()).size()).isZero();
    }

    @Test
    void nullBitmapMarksExactlyTheNullLongsAndDoublesAcrossWords() {
        int n = 200;
        Set<Integer> nulls = Set.of(0, 1, 62, 63, 64, 65, 127, 128, 130, 199);
        EventBlock.Builder b = new EventBlock.Builder(List.of("l", "d", "s", "ok"),
            List.of(ColumnType.LONG, ColumnType.DOUBLE, ColumnType.STRING, ColumnType.BOOL));
        for (int i = 0; i < n; i++) {
            boolean isNull = nulls.contains(i);
            b.add(i, NO, 0, new Object[] {isNull ? null : (long) i, isNull ? null : i * 0.5, isNull ? null : "s" + i,
                isNull ? null : i % 2 == 0});
        }
        EventBlock e = b.build();
        for (EventBlock block : List.of(e, e.sorted(), e.slice(0, n), e.merge(e.slice(0, 0)))) {
            Column l = block.column("l", ColumnType.LONG);
            Column d = block.column("d", ColumnType.DOUBLE);
            Column s = block.column("s", ColumnType.STRING);
            Column ok = block.column("ok", ColumnType.BOOL);
            for (int i = 0; i < n; i++) {
                boolean isNull = nulls.contains(i);
                assertThat(l.isNull(i)).as("long null at " + i).isEqualTo(isNull);
                assertThat(d.isNull(i)).as("double null at " + i).isEqualTo(isNull);
                assertThat(s.isNull(i)).as("string null at " + i).isEqualTo(isNull);
                assertThat(ok.isNull(i)).as("bool null at " + i).isEqualTo(isNull);
                assertThat(l.valueAt(i)).isEqualTo(isNull ? null : (Object) (long) i);
                assertThat(d.valueAt(i)).isEqualTo(isNull ? null : (Object) (i * 0.5));
                assertThat(s.valueAt(i)).isEqualTo(isNull ? null : "s" + i);
                assertThat(ok.valueAt(i)).isEqualTo(isNull ? null : (Object) (i % 2 == 0));
            }
        }
    }

    @Test
    void nullBitsFollowEventsWhenSortingMovesThem() {
        EventBlock.Builder b = new EventBlock.Builder(List.of("l"), List.of(ColumnType.LONG));
        b.add(3, NO, 0, new Object[] {null});
        b.add(1, NO, 0, new Object[] {1L});
        b.add(2, NO, 0, new Object[] {2L});
        EventBlock s = b.build().sorted();
        assertThat(new Object[] {s.column("l", ColumnType.LONG).valueAt(0), s.column("l", ColumnType.LONG).valueAt(1),
            s.column("l", ColumnType.LONG).valueAt(2)}).containsExactly(1L, 2L, null);
    }

    @Test
    void columnsReadAcrossNumericStorage() {
        EventBlock.Builder b = new EventBlock.Builder(List.of("l", "d", "ok"),
            List.of(ColumnType.LONG, ColumnType.DOUBLE, ColumnType.BOOL));
        b.add(1, NO, 0, new Object[] {7L, 2.75, false});
        EventBlock e = b.build();
        assertThat(e.column("l", ColumnType.LONG).doubleAt(0)).isEqualTo(7.0);
        assertThat(e.column("d", ColumnType.DOUBLE).longAt(0)).isEqualTo(2L);
        assertThat(e.column("ok", ColumnType.BOOL).longAt(0)).isZero();
        assertThat(e.column("ok", ColumnType.BOOL).type()).isEqualTo(ColumnType.BOOL);
        assertThat(e.column("missing", ColumnType.STRING).isNull(0)).isTrue();
        assertThat(e.column("missing", ColumnType.STRING).type()).isEqualTo(ColumnType.STRING);
    }

    // ------------------------------------------------------------------ ordering

    @Test
    void sortedOrdersByTimeThenCreatedWithMissingCreatedFirst() {
        EventBlock s = batch(new long[][] {{20, 5}, {10, 9}, {20, NO}, {20, 1}, {5, 100}}).sorted();
        assertThat(Arrays.copyOf(s.timestamps(), s.size())).containsExactly(5, 10, 20, 20, 20);
        assertThat(seqs(s)).containsExactly(4, 1, 2, 3, 0);
        assertThat(s.created(2)).isEqualTo(NO);
    }

    @Test
    void sortedIsStableForEqualTimeAndCreated() {
        Random rnd = new Random(7);
        long[][] in = new long[500][];
        for (int i = 0; i < in.length; i++) {
            in[i] = new long[] {rnd.nextInt(10), rnd.nextInt(3) == 0 ? NO : rnd.nextInt(3)};
        }
        EventBlock s = batch(in).sorted();
        long[] seq = seqs(s);
        for (int i = 1; i < s.size(); i++) {
            int cmp = Long.compare(s.ts(i - 1), s.ts(i));
            cmp = cmp != 0 ? cmp : Long.compare(s.created(i - 1), s.created(i));
            assertThat(cmp).as("sorted at " + i).isLessThanOrEqualTo(0);
            if (cmp == 0) {
                assertThat(seq[i - 1]).as("arrival order kept among equal keys at " + i).isLessThan(seq[i]);
            }
        }
        assertThat(tags(s)[0]).isEqualTo("e" + seq[0]); // the string column moved with its event
    }

    @Test
    void sortedKeepsIdsAndMergeDropsThem() {
        EventBlock.Builder b = new EventBlock.Builder(List.of("x"), List.of(ColumnType.LONG));
        b.add(2, NO, EventBlock.idHash("b"), new Object[] {2L});
        b.add(1, NO, EventBlock.idHash("a"), new Object[] {1L});
        EventBlock s = b.build().sorted();
        assertThat(s.hasIds()).isTrue();
        assertThat(s.idHash(0)).isEqualTo(EventBlock.idHash("a"));
        assertThat(s.idHash(1)).isEqualTo(EventBlock.idHash("b"));
        assertThat(s.merge(s).hasIds()).isFalse();
        assertThat(s.slice(0, 1).hasIds()).isFalse();
        assertThat(s.select(new int[] {1}).idHash(0)).isEqualTo(EventBlock.idHash("b"));
    }

    @Test
    void mergePutsExistingEventsBeforeIncomingOnesWithEqualKeys() {
        EventBlock existing = batch(new long[][] {{10, 1}, {20, 1}, {20, 2}, {30, NO}}).sorted();
        EventBlock.Builder ib = new EventBlock.Builder(List.of("seq", "tag"), List.of(ColumnType.LONG, ColumnType.STRING));
        ib.add(20, 1, 0, new Object[] {100L, "in-20-1"});
        ib.add(5, 1, 0, new Object[] {101L, "in-5"});
        ib.add(30, NO, 0, new Object[] {102L, "in-30"});
        ib.add(20, 2, 0, new Object[] {103L, "in-20-2"});
        ib.add(25, NO, 0, new Object[] {104L, "in-25"});
        EventBlock merged = existing.merge(ib.build().sorted());
        assertThat(Arrays.copyOf(merged.timestamps(), merged.size())).containsExactly(5, 10, 20, 20, 20, 20, 25, 30, 30);
        assertThat(tags(merged)).containsExactly("in-5", "e0", "e1", "in-20-1", "e2", "in-20-2", "in-25", "e3", "in-30");
    }

    @Test
    void mergeOfRandomSortedRunsIsSortedAndStable() {
        Random rnd = new Random(11);
        for (int round = 0; round < 50; round++) {
            int n = rnd.nextInt(40);
            int m = rnd.nextInt(40);
            long[][] a = new long[n][];
            long[][] b = new long[m][];
            for (int i = 0; i < n; i++) {
                a[i] = new long[] {rnd.nextInt(8), rnd.nextBoolean() ? NO : rnd.nextInt(2)};
            }
            for (int i = 0; i < m; i++) {
                b[i] = new long[] {rnd.nextInt(8), rnd.nextBoolean() ? NO : rnd.nextInt(2)};
            }
            long[][] all = new long[n + m][];
            System.arraycopy(a, 0, all, 0, n);
            System.arraycopy(b, 0, all, n, m);
            EventBlock expected = batch(all).sorted(); // one batch in the same arrival order: the oracle
            EventBlock bBlock = batch(b);
            EventBlock.Builder renumbered = new EventBlock.Builder(List.of("seq", "tag"),
                List.of(ColumnType.LONG, ColumnType.STRING));
            for (int i = 0; i < m; i++) {
                renumbered.add(bBlock.ts(i), bBlock.created(i), 0, new Object[] {(long) (n + i), "e" + (n + i)});
            }
            EventBlock merged = batch(a).sorted().merge(renumbered.build().sorted());
            assertThat(seqs(merged)).as("round " + round).containsExactly(seqs(expected));
        }
    }

    // ------------------------------------------------------------------ reshaping

    @Test
    void sliceSelectAndConcatKeepEventsWhole() {
        EventBlock s = batch(new long[][] {{1, NO}, {2, 3}, {3, NO}, {4, 4}}).sorted();
        EventBlock slice = s.slice(1, 3);
        assertThat(slice.size()).isEqualTo(2);
        assertThat(seqs(slice)).containsExactly(1, 2);
        assertThat(slice.created(0)).isEqualTo(3);
        assertThat(slice.created(1)).isEqualTo(NO);
        EventBlock sel = s.select(new int[] {3, 0, 3});
        assertThat(seqs(sel)).containsExactly(3, 0, 3);
        assertThat(tags(sel)).containsExactly("e3", "e0", "e3");
        EventBlock cat = EventBlock.concat(List.of(s.slice(0, 1), s.slice(1, 1), s.slice(1, 4)));
        assertThat(seqs(cat)).containsExactly(0, 1, 2, 3);
        assertThat(cat.created(3)).isEqualTo(4);
        assertThat(EventBlock.concat(List.of(s))).isSameAs(s);
        assertThat(cat.row(2)).containsEntry("seq", 2L).containsEntry("tag", "e2");
    }

    @Test
    void concatIncomingKeepsArrivalOrderAndIdsWhileConcatDropsIds() {
        EventBlock.Builder first = new EventBlock.Builder(List.of("x"), List.of(ColumnType.LONG));
        first.add(5, NO, EventBlock.idHash("a"), new Object[] {1L});
        first.add(1, NO, 0, new Object[] {2L});
        EventBlock.Builder second = new EventBlock.Builder(List.of("x"), List.of(ColumnType.LONG));
        second.add(3, NO, EventBlock.idHash("b"), new Object[] {3L});
        List<EventBlock> batches = List.of(first.build(), second.build());
        EventBlock in = EventBlock.concatIncoming(batches);
        assertThat(Arrays.copyOf(in.timestamps(), 3)).as("not sorted: arrival order").containsExactly(5, 1, 3);
        assertThat(new long[] {in.idHash(0), in.idHash(1), in.idHash(2)})
            .containsExactly(EventBlock.idHash("a"), 0, EventBlock.idHash("b"));
        assertThat(EventBlock.concat(batches).hasIds()).isFalse();
    }

    @Test
    void concatOfBlocksWithAndWithoutCreatedTimes() {
        EventBlock without = batch(new long[][] {{1, NO}});
        EventBlock with = batch(new long[][] {{2, 9}});
        EventBlock cat = EventBlock.concat(List.of(without, with));
        assertThat(cat.created(0)).isEqualTo(NO);
        assertThat(cat.created(1)).isEqualTo(9);
    }

    @Test
    void splitNeverSeparatesEqualTimesAndLeavesNoTinyTail() {
        Random rnd = new Random(3);
        for (int round = 0; round < 300; round++) {
            int n = rnd.nextInt(120);
            int target = 4 + rnd.nextInt(20);
            long[][] in = new long[n][];
            int distinct = 1 + rnd.nextInt(Math.max(1, n));
            for (int i = 0; i < n; i++) {
                in[i] = new long[] {rnd.nextInt(distinct), NO};
            }
            EventBlock s = batch(in).sorted();
            List<EventBlock> parts = s.split(target);
            String ctx = "round " + round + " n=" + n + " target=" + target;
            List<Long> seq = new ArrayList<>();
            for (int p = 0; p < parts.size(); p++) {
                EventBlock part = parts.get(p);
                assertThat(part.size()).as(ctx + " part " + p + " not empty").isPositive();
                for (long v : seqs(part)) {
                    seq.add(v);
                }
                if (p + 1 < parts.size()) {
                    assertThat(part.ts(part.size() - 1)).as(ctx + " equal times stay together")
                        .isLessThan(parts.get(p + 1).ts(0));
                    assertThat(part.size()).as(ctx + " part " + p + " is at least the target").isGreaterThanOrEqualTo(target);
                    // a part is exactly the target unless a run of equal times pushed it further
                    if (part.size() > target) {
                        assertThat(part.ts(target)).as(ctx + " part " + p + " grew only for equal times")
                            .isEqualTo(part.ts(target - 1));
                    }
                } else if (parts.size() > 1) {
                    assertThat(part.size()).as(ctx + " no tiny tail").isGreaterThanOrEqualTo(target / 4);
                }
            }
            assertThat(seq).as(ctx + " nothing lost or reordered")
                .containsExactlyElementsOf(Arrays.stream(seqs(s)).boxed().toList());
            if (n == 0) {
                assertThat(parts).isEmpty();
            }
        }
    }

    @Test
    void splitFoldsASmallTailIntoTheLastBlock() {
        long[][] in = new long[9][];
        for (int i = 0; i < 9; i++) {
            in[i] = new long[] {i, NO};
        }
        assertThat(batch(in).sorted().split(8)).extracting(EventBlock::size).containsExactly(9);
        assertThat(batch(in).sorted().split(4)).as("a tail of target/4 is not tiny").extracting(EventBlock::size)
            .containsExactly(4, 4, 1);
        long[][] thirteen = new long[13][];
        for (int i = 0; i < 13; i++) {
            thirteen[i] = new long[] {i, NO};
        }
        assertThat(batch(thirteen).sorted().split(12)).extracting(EventBlock::size).containsExactly(13);
        assertThat(batch(thirteen).sorted().split(10)).extracting(EventBlock::size).containsExactly(10, 3);
        long[][] same = new long[9][];
        for (int i = 0; i < 9; i++) {
            same[i] = new long[] {42, NO};
        }
        assertThat(batch(same).sorted().split(4)).extracting(EventBlock::size).containsExactly(9);
    }

    // ------------------------------------------------------------------ schema evolution

    @Test
    void blocksWithDifferentColumnsConcatAndMergeWithMissingValuesAsNull() {
        EventBlock.Builder oldB = new EventBlock.Builder(List.of("a"), List.of(ColumnType.LONG));
        oldB.add(1, NO, 0, new Object[] {1L});
        EventBlock.Builder newB = new EventBlock.Builder(List.of("b", "a"), List.of(ColumnType.STRING, ColumnType.LONG));
        newB.add(2, NO, 0, new Object[] {"two", 2L});
        newB.add(0, NO, 0, new Object[] {"zero", null});
        EventBlock old = oldB.build().sorted();
        EventBlock young = newB.build().sorted();
        for (EventBlock e : List.of(EventBlock.concat(List.of(old, young)), old.merge(young))) {
            assertThat(e.columnNames()).containsExactlyInAnyOrder("a", "b");
            Map<Long, Map<String, Object>> byTs = new LinkedHashMap<>();
            for (int i = 0; i < e.size(); i++) {
                byTs.put(e.ts(i), e.row(i));
            }
            assertThat(byTs.get(1L)).containsEntry("a", 1L).containsEntry("b", null);
            assertThat(byTs.get(2L)).containsEntry("a", 2L).containsEntry("b", "two");
            assertThat(byTs.get(0L)).containsEntry("a", null).containsEntry("b", "zero");
        }
        EventBlock merged = old.merge(young);
        assertThat(Arrays.copyOf(merged.timestamps(), 3)).containsExactly(0, 1, 2);
        assertThat(merged.column("b", ColumnType.STRING).isNull(1)).isTrue();
        assertThat(merged.column("a", ColumnType.LONG).isNull(0)).isTrue();
    }

    @Test
    void columnWidenedFromLongToDoubleKeepsNewFractions() {
        EventBlock old = block("x", ColumnType.LONG, 1, 5L);
        EventBlock young = block("x", ColumnType.DOUBLE, 2, 1.5);
        EventBlock merged = old.merge(young);
        Column x = merged.column("x", ColumnType.DOUBLE);
        assertThat(x.valueAt(0)).isEqualTo(5.0);
        assertThat(x.valueAt(1)).as("an incoming 1.5 is not truncated into the old long column").isEqualTo(1.5);
        Column cat = EventBlock.concat(List.of(old, young)).column("x", ColumnType.DOUBLE);
        assertThat(cat.valueAt(0)).isEqualTo(5.0);
        assertThat(cat.valueAt(1)).isEqualTo(1.5);
    }

    @Test
    void oldBlockReadsInTheTypeTheSchemaNowDeclares() {
        EventBlock old = block("x", ColumnType.LONG, 1, 5L);
        Column asDouble = old.column("x", ColumnType.DOUBLE);
        assertThat(asDouble.type()).isEqualTo(ColumnType.DOUBLE);
        assertThat(asDouble.valueAt(0)).isEqualTo(5.0);
        Column asString = old.column("x", ColumnType.STRING);
        assertThat(asString.valueAt(0)).isEqualTo("5");
        EventBlock text = block("x", ColumnType.STRING, 1, "12");
        assertThat(text.column("x", ColumnType.LONG).valueAt(0)).isEqualTo(12L);
        assertThat(block("x", ColumnType.STRING, 1, "n/a").column("x", ColumnType.LONG).valueAt(0))
            .as("text that is no number reads as null").isNull();
        assertThat(block("x", ColumnType.BOOL, 1, true).column("x", ColumnType.DOUBLE).valueAt(0)).isEqualTo(1.0);
        assertThat(block("x", ColumnType.INT, 1, 3L).column("x", ColumnType.LONG).valueAt(0)).isEqualTo(3L);
    }

    @Test
    void columnChangedBetweenTextAndNumbersMergesWithoutLosingValues() {
        EventBlock text = block("x", ColumnType.STRING, 1, "n/a");
        EventBlock number = block("x", ColumnType.LONG, 2, 7L);
        EventBlock flag = block("x", ColumnType.BOOL, 3, true);
        EventBlock merged = text.merge(number).merge(flag);
        Column asText = merged.column("x", ColumnType.STRING);
        assertThat(asText.valueAt(0)).isEqualTo("n/a");
        assertThat(asText.valueAt(1)).isEqualTo("7");
        assertThat(asText.valueAt(2)).isEqualTo("true");
        EventBlock numbers = number.merge(text);
        assertThat(numbers.column("x", ColumnType.STRING).valueAt(0)).isEqualTo("n/a");
        assertThat(numbers.column("x", ColumnType.LONG).valueAt(1)).isEqualTo(7L);
        EventBlock mixed = block("x", ColumnType.BOOL, 1, true).merge(block("x", ColumnType.DOUBLE, 2, 2.5));
        assertThat(mixed.column("x", ColumnType.DOUBLE).valueAt(0)).isEqualTo(1.0);
        assertThat(mixed.column("x", ColumnType.DOUBLE).valueAt(1)).isEqualTo(2.5);
    }

    private static EventBlock block(String col, ColumnType type, long ts, Object value) {
        EventBlock.Builder b = new EventBlock.Builder(List.of(col), List.of(type));
        b.add(ts, NO, 0, new Object[] {value});
        return b.build().sorted();
    }

    // ------------------------------------------------------------------ id hashes

    @Test
    void idHashIsFnv1aOverUtf16UnitsThenFmix64() {
        assertThat(fnv1a("a")).as("the published FNV-1a 64 vector").isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(fnv1a("")).isEqualTo(0xcbf29ce484222325L);
        for (String s : List.of("", "a", "order-1", "order-2", "日本", "\uD83D\uDE00", "x".repeat(1000))) {
            assertThat(EventBlock.idHash(s)).as(s).isEqualTo(fmix64(fnv1a(s)));
        }
    }

    @Test
    void idHashIsStableAcrossReleases() {
        // Stored indexes hold these hashes: changing the function would make every replay look new.
        assertThat(EventBlock.idHash("order-1")).isEqualTo(fmix64(fnv1a("order-1")));
        assertThat(EventBlock.idHash("order-1")).isEqualTo(EventBlock.idHash(new String("order-1")));
        assertThat(Long.toHexString(EventBlock.idHash("a"))).isEqualTo(Long.toHexString(fmix64(0xaf63dc4c8601ec8cL)));
    }

    @Test
    void idHashIsNeverZeroAndRarelyCollides() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            long h = EventBlock.idHash("id-" + i);
            assertThat(h).isNotZero();
            seen.add(h);
        }
        assertThat(seen).hasSize(100_000);
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (char c : s.toCharArray()) {
            h = (h ^ c) * 0x100000001b3L;
        }
        return h;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    @Test
    void concatOfBlocksWithOneLayoutKeepsEveryValueAndNullAcrossWordBoundaries() {
        long seed = Seeds.seed("EventBlockTest");
        Random r = new Random(seed);
        List<String> names = List.of("d", "l", "s", "b");
        List<ColumnType> types = List.of(ColumnType.DOUBLE, ColumnType.LONG, ColumnType.STRING, ColumnType.BOOL);
        for (int round = 0; round < 50; round++) {
            List<EventBlock> parts = new ArrayList<>();
            List<Map<String, Object>> expected = new ArrayList<>();
            List<Long> created = new ArrayList<>();
            for (int p = 0, k = 1 + r.nextInt(4); p < k; p++) {
                int n = new int[] {1, 63, 64, 65, 130, r.nextInt(200)}[r.nextInt(6)];
                boolean withCreated = r.nextBoolean();
                EventBlock.Builder b = new EventBlock.Builder(names, types);
                for (int i = 0; i < n; i++) {
                    Object[] v = {r.nextInt(3) == 0 ? null : r.nextDouble(), r.nextInt(3) == 0 ? null : r.nextLong(),
                        r.nextInt(3) == 0 ? null : "s" + r.nextInt(9), r.nextInt(3) == 0 ? null : r.nextBoolean()};
                    long c = withCreated ? r.nextLong() : EventBlock.NO_CREATED;
                    b.add(1000L * expected.size(), c, 0, v);
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int j = 0; j < names.size(); j++) {
                        row.put(names.get(j), v[j]);
                    }
                    expected.add(row);
                    created.add(c);
                }
                parts.add(b.build());
            }
            EventBlock cat = EventBlock.concat(parts);
            assertThat(cat.size()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(cat.row(i)).as("seed %d round %d row %d", seed, round, i).isEqualTo(expected.get(i));
                assertThat(cat.created(i)).as("seed %d round %d created %d", seed, round, i).isEqualTo(created.get(i));
                assertThat(cat.ts(i)).isEqualTo(1000L * i);
            }
        }
    }
}
