package io.hearth.compute.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntityKeysTest {
    @Test
    void singleKeyIsItsOwnText() {
        assertThat(EntityKeys.encode(List.of("c1"))).isEqualTo("c1");
        assertThat(EntityKeys.decode("c1")).containsExactly("c1");
    }

    @Test
    void compositeKeysRoundTripIncludingEmptyParts() {
        for (List<String> parts : List.of(List.of("a", "b"), List.of("a", "", "c"), List.of("", ""), List.of("x", "y", ""))) {
            String key = EntityKeys.encode(parts);
            assertThat(key).contains(String.valueOf(EntityKeys.SEPARATOR));
            assertThat(EntityKeys.decode(key)).as(parts.toString()).containsExactlyElementsOf(parts);
        }
    }
}
