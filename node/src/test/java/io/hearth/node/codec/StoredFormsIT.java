package io.hearth.node.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.node.CacheLayout;
import io.hearth.node.HearthNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.marshaller.Marshaller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored forms of event storage through a real node: what the code before the EventBlock split wrote reads back
 * and is written again byte for byte, what this code writes survives a restart, and keys keep their affinity field.
 */
class StoredFormsIT {
    @TempDir
    Path dir;

    private static Marshaller marshaller(Ignite ignite) {
        return ignite.configuration().getMarshaller();
    }

    private static List<StoredForms.Entry> fixture() throws Exception {
        try (InputStream in = StoredFormsIT.class.getResourceAsStream(StoredForms.FIXTURE)) {
            return StoredForms.read(in);
        }
    }

    /** Every entry reads into what its writer described, and written again gives the bytes its writer wrote. */
    private static void assertReadsAndRewrites(Ignite ignite, List<StoredForms.Entry> entries) throws Exception {
        assertReadsAndRewrites(ignite, entries, true);
    }

    /**
     * {@link #assertReadsAndRewrites(Ignite, List)}, where indexes of an earlier format ({@code indexesCurrent}
     * false) are written again in the current one: they must read back to the same description.
     */
    private static void assertReadsAndRewrites(Ignite ignite, List<StoredForms.Entry> entries, boolean indexesCurrent)
        throws Exception {
        Marshaller m = marshaller(ignite);
        ClassLoader loader = StoredFormsIT.class.getClassLoader();
        // Keys are written with compact footers: reading one takes its type's metadata, which a cluster that stored
        // keys has; a fresh node learns it from writing one.
        m.marshal(new EventKey("any", 0));
        int blocks = 0;
        int indexes = 0;
        for (StoredForms.Entry e : entries) {
            Object value = m.unmarshal(e.value(), loader);
            assertThat(StoredForms.describe(value)).isEqualTo(e.description());
            if (value instanceof EntityIndex && !indexesCurrent) {
                Object again = m.unmarshal(m.marshal(value), loader);
                assertThat(StoredForms.describe(again)).as("%s written in the current format",
                    e.description().lines().findFirst().orElseThrow()).isEqualTo(e.description());
            } else {
                assertThat(m.marshal(value)).as("%s written again", e.description().lines().findFirst().orElseThrow())
                    .containsExactly(e.value());
            }
            blocks += value instanceof EventBlock ? 1 : 0;
            indexes += value instanceof EntityIndex ? 1 : 0;
            if (e.key().length > 0) {
                EventKey key = m.unmarshal(e.key(), loader);
                assertThat(m.marshal(key)).as("key " + key).containsExactly(e.key());
                assertThat(value).isInstanceOf(key.block() == EventKey.INDEX ? EntityIndex.class : EventBlock.class);
            }
        }
        assertThat(blocks).isGreaterThan(10);
        assertThat(indexes).isEqualTo(5);
    }

    @Test
    void theFormsWrittenBeforeTheSplitReadBackAndAreWrittenAgainByteForByte() throws Exception {
        try (HearthNode node = StoredForms.node(dir)) {
            assertReadsAndRewrites(node.ignite(), fixture(), false); // indexes then were format 3, now 4
        }
    }

    @Test
    void blocksAndIndexesWrittenThroughANodeReadBackAfterARestart() throws Exception {
        List<StoredForms.Entry> written;
        try (HearthNode node = StoredForms.node(dir)) {
            StoredForms.writeEvents(node.ignite());
            written = StoredForms.capture(node.ignite());
            assertReadsAndRewrites(node.ignite(), written);
            // Read as EventReads reads them, deserialized by the cache: what the raw bytes described.
            var cache = node.ignite().<EventKey, Object>cache(CacheLayout.eventsCache(StoredForms.SOURCE));
            EntityIndex idx = (EntityIndex) cache.get(EventKey.index("B"));
            assertThat(idx.blockCount()).isGreaterThan(3);
            assertThat(idx.stats(0)).isNotNull();
            assertThat(idx.inline()).isNotNull();
            assertThat(StoredForms.describe(idx)).isEqualTo(written.stream()
                .filter(e -> e.description().startsWith("index epoch=" + idx.epoch() + " ")).findFirst().orElseThrow()
                .description());
        }
        try (HearthNode node = StoredForms.node(dir)) {
            List<StoredForms.Entry> again = StoredForms.capture(node.ignite());
            assertThat(again).hasSameSizeAs(written);
            for (int i = 0; i < written.size(); i++) {
                assertThat(again.get(i).key()).containsExactly(written.get(i).key());
                assertThat(again.get(i).value()).containsExactly(written.get(i).value());
                assertThat(again.get(i).description()).isEqualTo(written.get(i).description());
            }
        }
    }

    /**
     * EventKey no longer carries {@code @AffinityKeyMapped}: its binary type must still name {@code entity} as
     * affinity field (stored metadata of existing clusters does, and Ignite refuses a type whose affinity field
     * changed), and an entity's keys must still land in the entity's partition.
     */
    @Test
    void eventKeysKeepTheirAffinityField() throws Exception {
        try (HearthNode node = StoredForms.node(dir)) {
            Ignite ignite = node.ignite();
            ignite.getOrCreateCache(CacheLayout.events(StoredForms.SOURCE)).put(new EventKey("e", 1), "x");
            assertThat(ignite.binary().type(EventKey.class).affinityKeyFieldName()).isEqualTo("entity");
            var aff = ignite.affinity(CacheLayout.eventsCache(StoredForms.SOURCE));
            for (int i = 0; i < 200; i++) {
                String entity = "entity-" + i;
                assertThat(aff.partition(new EventKey(entity, i))).isEqualTo(aff.partition(entity));
                assertThat(aff.partition(EventKey.index(entity))).isEqualTo(aff.partition(entity));
            }
        }
    }

    /**
     * Writes a new fixture to the file the system property names: run on the code whose forms later code must read,
     * e.g. {@code mvn verify -pl catalog,compute,node -Dit.test=StoredFormsIT#writeFixture
     * -Dhearth.storedForms.write=$PWD/node/src/test/resources/stored-forms/before-split.bin.gz}. With
     * {@code -Dhearth.storedForms.dataDir=DIR} the node keeps its data there, for {@link #readsADataDirectory}.
     */
    @Test
    @EnabledIfSystemProperty(named = "hearth.storedForms.write", matches = ".+")
    void writeFixture() throws Exception {
        Path data = System.getProperty("hearth.storedForms.dataDir") == null ? dir
            : Path.of(System.getProperty("hearth.storedForms.dataDir"));
        try (HearthNode node = StoredForms.node(data)) {
            StoredForms.writeEvents(node.ignite());
            try (OutputStream out = Files.newOutputStream(Path.of(System.getProperty("hearth.storedForms.write")))) {
                StoredForms.write(StoredForms.capture(node.ignite()), out);
            }
        }
    }

    /**
     * Starts a node on the data directory an earlier version's {@link #writeFixture} left (a copy of it: the node
     * writes) and checks that it holds what that fixture describes, byte for byte:
     * {@code -Dhearth.storedForms.readDir=DIR -Dhearth.storedForms.readFixture=FILE}.
     */
    @Test
    @EnabledIfSystemProperty(named = "hearth.storedForms.readDir", matches = ".+")
    void readsADataDirectory() throws Exception {
        List<StoredForms.Entry> expected;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("hearth.storedForms.readFixture")))) {
            expected = StoredForms.read(in);
        }
        try (HearthNode node = StoredForms.node(Path.of(System.getProperty("hearth.storedForms.readDir")))) {
            List<StoredForms.Entry> stored = StoredForms.capture(node.ignite());
            assertThat(stored).hasSameSizeAs(expected);
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i).key()).containsExactly(expected.get(i).key());
                assertThat(stored.get(i).value()).containsExactly(expected.get(i).value());
                assertThat(stored.get(i).description()).isEqualTo(expected.get(i).description());
            }
            assertReadsAndRewrites(node.ignite(), stored);
            // It writes on: the same events again, the ones with ids dropped as replays, the others added.
            StoredForms.writeEvents(node.ignite());
            var cache = node.ignite().<EventKey, Object>cache(CacheLayout.eventsCache(StoredForms.SOURCE));
            assertThat(((EntityIndex) cache.get(EventKey.index("C"))).eventCount()).isEqualTo(5);
            assertThat(((EntityIndex) cache.get(EventKey.index("A"))).eventCount()).isEqualTo(160);
            assertReadsAndRewrites(node.ignite(), StoredForms.capture(node.ignite()));
        }
    }
}
