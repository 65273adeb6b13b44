package io.hearth.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.FeatureLogging;
import io.hearth.compute.semantics.FeatureValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Overload, without a grid: a writer that is not running leaves the queue full. */
class FeatureLoggerTest {
    private static LogRecord record(String id) {
        return new LogRecord(id, "svc", 1, Optional.empty(), Optional.empty(), OptionalLong.empty(), 5, List.of("k"),
            List.of(List.of("u")), List.of(), new FeatureValue[0][]);
    }

    @Test
    void aFullQueueDropsUnderDropAndCountsEveryDroppedRecord() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FeatureLogger logger = new FeatureLogger(null, new FeatureLogger.Settings(10, 4, 100), meters);
        int queued = 0;
        for (int i = 0; i < 25; i++) {
            queued += logger.offer(record("r" + i), null, FeatureLogging.Overload.DROP) ? 1 : 0;
        }
        assertThat(queued).isEqualTo(10);
        assertThat(logger.droppedTotal()).isEqualTo(15);
        assertThat(meters.get("hearth.feature.log.dropped").tag("service", "svc").tag("reason", "overload").counter()
            .count()).isEqualTo(15);
        assertThat(meters.get("hearth.feature.log.queue").gauge().value()).isEqualTo(10);
    }

    @Test
    void underBlockALookupWaitsForRoomInsteadOfDropping() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FeatureLogger logger = new FeatureLogger(null, new FeatureLogger.Settings(1, 1, 100), meters);
        assertThat(logger.offer(record("a"), null, FeatureLogging.Overload.BLOCK)).isTrue();
        Thread blocked = new Thread(() -> logger.offer(record("b"), null, FeatureLogging.Overload.BLOCK));
        blocked.start();
        org.awaitility.Awaitility.await().until(() -> blocked.getState() == Thread.State.WAITING);
        blocked.interrupt(); // its lookup is stopped: it answers, unlogged, and the record is counted
        blocked.join(5_000);
        assertThat(logger.droppedTotal()).isEqualTo(1);
        assertThat(meters.get("hearth.feature.log.dropped").tag("reason", "interrupted").counter().count()).isEqualTo(1);
    }
}
