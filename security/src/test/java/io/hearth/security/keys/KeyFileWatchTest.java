package io.hearth.security.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.security.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileWatchTest {
    @TempDir
    Path dir;

    @Test
    void aKeyAddedToTheFileIsFoundAndARemovedOneIsNotWithoutARestart() throws Exception {
        Path f = dir.resolve("keys.yaml");
        Files.writeString(f, TestKeys.file());
        try (KeyFileWatch keys = new KeyFileWatch(f)) {
            assertThat(keys.find("hs_new")).isEmpty();
            assertThat(keys.reloadIfChanged()).isEqualTo(KeyFileWatch.Reload.UNCHANGED);

            Files.writeString(f, "keys:\n" + TestKeys.key("new", "hs_new", "[reader]", "")
                + TestKeys.key("ops", TestKeys.ADMIN, "[admin]", ""));
            assertThat(keys.reloadIfChanged()).isEqualTo(KeyFileWatch.Reload.RELOADED);
            assertThat(keys.find("hs_new")).map(ApiKey::id).contains("new");
            assertThat(keys.find(TestKeys.READER)).as("removed from the file").isEmpty();
        }
    }

    @Test
    void aBrokenChangeIsRefusedAndTheKeysInForceStay() throws Exception {
        Path f = dir.resolve("keys.yaml");
        Files.writeString(f, TestKeys.file());
        try (KeyFileWatch keys = new KeyFileWatch(f)) {
            Files.writeString(f, TestKeys.file().replace("roles: [admin]", "roles: [root]"));
            assertThat(keys.reloadIfChanged()).isEqualTo(KeyFileWatch.Reload.REFUSED);
            assertThat(keys.find(TestKeys.ADMIN)).map(ApiKey::role).contains(Role.ADMIN);
            assertThat(keys.find(TestKeys.READER)).isPresent();
            Files.delete(f);
            assertThat(keys.reloadIfChanged()).isEqualTo(KeyFileWatch.Reload.REFUSED);
            assertThat(keys.find(TestKeys.READER)).as("a file gone for a moment (an editor's save) locks no one out").isPresent();
        }
    }
}
