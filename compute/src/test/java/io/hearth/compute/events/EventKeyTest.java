package io.hearth.compute.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventKeyTest {
    @Test
    void keysAreEqualByEntityAndBlock() {
        assertThat(new EventKey("a", 1)).isEqualTo(new EventKey("a", 1)).hasSameHashCodeAs(new EventKey("a", 1));
        assertThat(new EventKey("a", 1)).isNotEqualTo(new EventKey("a", 2)).isNotEqualTo(new EventKey("b", 1));
        assertThat(EventKey.index("a")).isEqualTo(new EventKey("a", EventKey.INDEX));
        assertThat(EventKey.index("a").block()).isEqualTo(-1);
        assertThat(EventKey.index("a").entity()).isEqualTo("a");
        assertThat(new EventKey("a", 3)).hasToString("a#3");
    }

    @Test
    void keysSortByEntityThenBlockWithTheIndexFirst() {
        List<EventKey> keys = new ArrayList<>(List.of(new EventKey("b", 0), new EventKey("a", 2), EventKey.index("b"),
            new EventKey("a", 0), EventKey.index("a")));
        Collections.sort(keys);
        assertThat(keys).containsExactly(EventKey.index("a"), new EventKey("a", 0), new EventKey("a", 2), EventKey.index("b"),
            new EventKey("b", 0));
    }
}
