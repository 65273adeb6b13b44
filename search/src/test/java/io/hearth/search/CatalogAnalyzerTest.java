package io.hearth.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names are read as their words, whatever style they are written in. */
class CatalogAnalyzerTest {
    private static java.util.List<String> words(String text) {
        return CatalogIndex.words(CatalogAnalyzer.freeText(), text, 100);
    }

    @Test
    void snakeCaseAndCamelCaseNamesAreTheirWords() {
        assertThat(words("average_order_value_30d")).containsExactly("average", "order", "value", "30d");
        assertThat(words("avgOrderValue")).containsExactly("avg", "order", "value");
        assertThat(words("p99LatencyMs")).containsExactly("p99", "latency", "ms");
        assertThat(words("HTTPServerLatency_ms")).containsExactly("http", "server", "latency", "ms");
        assertThat(words("orderCount7d")).containsExactly("order", "count", "7d");
        assertThat(words("amount7d sum_1h 30days")).containsExactly("amount", "7d", "sum", "1h", "30day");
        assertThat(words("churn_model_v1")).containsExactly("churn", "model", "v1");
    }

    @Test
    void qualifiedNamesSplitAtTheirSeparators() {
        assertThat(words("customer_orders:spend_7d")).containsExactly("customer", "order", "spend", "7d");
        assertThat(words("orders.amount")).containsExactly("order", "amount");
    }

    @Test
    void offsetsPointAtEachWordOfAName() {
        assertThat(WordTokenizer.spans("customer_orders:avgOrderValue")).extracting(s -> s[0] + "-" + s[1])
            .containsExactly("0-8", "9-15", "16-19", "19-24", "24-29");
        assertThat(words("the customer's tier")).containsExactly("customer", "tier");
        assertThat(words("naïve Größe 日本")).containsExactly("naïve", "größe", "日本");
    }

    @Test
    void freeTextDropsStopWordsAndPluralsButTypeAheadKeepsWhatWasTyped() {
        assertThat(words("Total spent in the last 7 days.")).containsExactly("total", "spent", "last", "7", "day");
        assertThat(CatalogIndex.words(CatalogAnalyzer.typeAhead(), "the orders", 10)).containsExactly("the", "orders");
        assertThat(words("status")).as("a singular ending in s stays").containsExactly("status");
    }
}
