package io.hearth.gateway.http;

import io.hearth.catalog.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import javax.cache.CacheException;
import org.apache.ignite.IgniteException;
import org.junit.jupiter.api.Test;

class ProblemsTest {
    @Test
    void lostPartitionsSayWhatCuresThemInsteadOfRetry() {
        Throwable lost = new CacheException("class org.apache.ignite.internal.processors.cache.CacheInvalidStateException",
            new IgniteException("Failed to execute the cache operation (all partition owners have left the grid, "
                + "partition data has been lost) [cacheName=events_orders, partition=7]"));
        ObjectNode body = Problems.body("/v1/features/online", lost);
        assertThat(body.get("status").asInt()).isEqualTo(503);
        assertThat(body.get("code").asText()).isEqualTo(ErrorCode.GRID_UNAVAILABLE.code());
        assertThat(body.get("detail").asText()).contains("hearth reset-lost").doesNotContain("safe to retry");
    }

    @Test
    void otherGridFailuresAreSafeToRetry() {
        ObjectNode body = Problems.body("/v1/features/online", new IgniteException("Failed to map keys: topology changed"));
        assertThat(body.get("status").asInt()).isEqualTo(503);
        assertThat(body.get("detail").asText()).contains("safe to retry");
    }

    @Test
    void anInternalErrorNeverShowsTheExceptionButAnIdTheLogHolds() {
        ObjectNode body = Problems.body("/v1/features/online", new NullPointerException(
            "Cannot invoke \"java.lang.Long.longValue()\" because \"x\" is null"));
        assertThat(body.get("status").asInt()).isEqualTo(500);
        assertThat(body.get("detail").asText()).startsWith("internal error (error id ").doesNotContain("java.")
            .doesNotContain("NullPointer").doesNotContain("longValue");
    }

    @Test
    void aGridFailureDoesNotEchoTheGridsMessage() {
        ObjectNode body = Problems.body("/v1/features/online", new IgniteException("class org.apache.ignite.Foo failed"));
        assertThat(body.get("detail").asText()).doesNotContain("org.apache").contains("error id");
    }
}
