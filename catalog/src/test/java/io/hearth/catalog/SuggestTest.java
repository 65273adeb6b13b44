package io.hearth.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    static final List<String> FEATURES = List.of("customer_orders:last_amount", "customer_orders:last_channel",
        "customer_orders:spend_7d", "customer_profile:tier");

    @Test
    void aTypoIsAnsweredWithTheRealName() {
        assertThat(Suggest.closest("customer_orders:last_amout", FEATURES)).containsExactly("customer_orders:last_amount");
        assertThat(Suggest.hint("sorce", List.of("source", "orders"))).isEqualTo("; did you mean 'source'?");
    }

    @Test
    void caseAndPrefixesCount() {
        assertThat(Suggest.closest("ORDERS", List.of("orders", "profiles"))).containsExactly("orders");
        assertThat(Suggest.closest("customer_orders:last", FEATURES)).hasSize(2)
            .contains("customer_orders:last_amount", "customer_orders:last_channel");
    }

    @Test
    void nothingCloseMeansNoHint() {
        assertThat(Suggest.closest("zzz", FEATURES)).isEmpty();
        assertThat(Suggest.hint("", FEATURES)).isEmpty();
    }

    @Test
    void distanceIsLevenshteinCappedEarly() {
        assertThat(Suggest.distance("kitten", "sitting", 10)).isEqualTo(3);
        assertThat(Suggest.distance("abc", "abc", 3)).isZero();
        assertThat(Suggest.distance("a", "abcdefgh", 3)).isEqualTo(3);
    }
}
