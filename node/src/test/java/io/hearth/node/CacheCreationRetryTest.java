package io.hearth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/** A cache creation refused while a cluster state change is in progress is tried again; other failures are not. */
class CacheCreationRetryTest {
    private static CacheException stateChange() {
        return new CacheException(new org.apache.ignite.IgniteCheckedException(
            "Failed to start/stop cache, cluster state change is in progress."));
    }

    @Test
    void aCreationRefusedDuringAStateChangeIsTriedAgainUntilItGoesThrough() {
        AtomicInteger calls = new AtomicInteger();
        CacheLayout.whenStateSettled(() -> {
            if (calls.incrementAndGet() < 3) {
                throw stateChange();
            }
        });
        assertThat(calls).hasValue(3);
    }

    @Test
    void anyOtherFailureIsThrownAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> CacheLayout.whenStateSettled(() -> {
            calls.incrementAndGet();
            throw new CacheException("Failed to start cache: bad configuration");
        })).isInstanceOf(CacheException.class).hasMessageContaining("bad configuration");
        assertThat(calls).hasValue(1);
    }
}
