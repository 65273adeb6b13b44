package io.hearth.node.codec;

import io.hearth.node.HearthNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Stored forms of event storage: what an earlier version wrote reads back and is written again byte for byte. */
class StoredFormsIT {
    @TempDir
    Path dir;

    /**
     * Writes a new fixture to the file the system property names: run on the code whose forms later code must read,
     * e.g. {@code mvn verify -pl catalog,compute,node -Dit.test=StoredFormsIT#writeFixture
     * -Dhearth.storedForms.write=$PWD/node/src/test/resources/stored-forms/before-split.bin.gz}. With
     * {@code -Dhearth.storedForms.dataDir=DIR} the node keeps its data there, for {@code readsDataDir} of later code.
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
}
