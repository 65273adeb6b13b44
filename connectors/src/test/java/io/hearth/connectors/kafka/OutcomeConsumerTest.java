package io.hearth.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.feedback.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outcome consumer's batches, one poll at a time on the test's thread, with kafka-clients' mocks. */
class OutcomeConsumerTest {
    static final String TOPIC = "shop.churn.outcomes";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final MockProducer<byte[], byte[]> dlq = new MockProducer<>(true, new ByteArraySerializer(),
        new ByteArraySerializer());
    private final List<List<Outcome>> stored = new ArrayList<>();
    private RuntimeException storeFailure;
    private OutcomeConsumer outcomes;

    @BeforeEach
    void setUp() {
        outcomes = new OutcomeConsumer(KafkaBridge.Settings.defaults("mock:9092"), TOPIC, batch -> {
            if (storeFailure != null) {
                throw storeFailure;
            }
            stored.add(batch);
            return null;
        }, p -> consumer, dlq);
        consumer.assign(List.of(P0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
    }

    private void record(long offset, String value) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, null,
            value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachPollIsStoredThenCommittedAndMalformedRecordsGoToTheDeadLetterTopicWithTheirRule() {
        record(0, "{\"request_id\":\"r1\",\"label\":\"churned\",\"value\":1,\"outcome_ts\":\"2026-01-31T12:00:00Z\"}");
        record(1, "{\"request_id\":\"r2\",\"label\":\"churned\",\"value\":[1],\"outcome_ts\":5}");
        record(2, "not json");
        record(3, null);
        record(4, "{\"request_id\":\"r3\",\"label\":\"churned\",\"value\":0,\"outcome_ts\":5}");
        assertThat(outcomes.turn(consumer)).isZero();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).extracting(Outcome::requestId).containsExactly("r1", "r3");
        assertThat(dlq.history()).hasSize(3);
        assertThat(dlq.history()).allSatisfy(r -> assertThat(r.topic()).isEqualTo(TOPIC + ".dlq"));
        assertThat(dlq.history()).extracting(r -> new String(r.headers().lastHeader("hearth.error.rule").value(),
            StandardCharsets.UTF_8)).containsExactly("type.scalar", "json.syntax", "kafka.no_value");
        assertThat(new String(dlq.history().get(0).headers().lastHeader("hearth.error.field").value(),
            StandardCharsets.UTF_8)).isEqualTo("value");
        assertThat(consumer.committed(java.util.Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(5));
    }

    @Test
    void aBatchThatCannotBeStoredIsNotCommittedAndComesAgain() {
        record(0, "{\"request_id\":\"r1\",\"label\":\"churned\",\"value\":1,\"outcome_ts\":5}");
        storeFailure = new IllegalStateException("grid away");
        assertThat(outcomes.turn(consumer)).isPositive();
        assertThat(consumer.committed(java.util.Set.of(P0))).doesNotContainKey(P0);
        assertThat(consumer.position(P0)).isZero(); // sought back
        record(0, "{\"request_id\":\"r1\",\"label\":\"churned\",\"value\":1,\"outcome_ts\":5}"); // the mock re-reads
        storeFailure = null;
        assertThat(outcomes.turn(consumer)).isZero();
        assertThat(stored).singleElement().satisfies(b -> assertThat(b).extracting(Outcome::requestId).containsExactly("r1"));
        assertThat(consumer.committed(java.util.Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void outcomeConsumersHaveTheirOwnGroup() {
        assertThat(outcomes.properties().getProperty("group.id")).isEqualTo("hearth-outcomes");
        assertThat(outcomes.properties().getProperty("enable.auto.commit")).isEqualTo("false");
    }
}
