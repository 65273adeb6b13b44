package io.hearth.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The matching rule in plain code, and marked text. */
class HighlightsTest {
    @Test
    void aWordMatchesExactlyAsAPrefixOrWithinTwoEditsWhenLongEnough() {
        assertThat(Highlights.matches("spend", "spend")).isTrue();
        assertThat(Highlights.matches("spend", "sp")).isTrue();
        assertThat(Highlights.matches("spend", "s")).as("one letter is not a prefix").isFalse();
        assertThat(Highlights.matches("frequency", "frquency")).isTrue();
        assertThat(Highlights.matches("value", "valeu")).as("a transposition is one edit").isTrue();
        assertThat(Highlights.matches("spend", "spnd")).as("four letters: no typo").isFalse();
        assertThat(Highlights.matches("average", "avrge")).isTrue();
        assertThat(Highlights.matches("average", "avrg")).isFalse();
        assertThat(Highlights.distance("kitten", "sitting", 10)).isEqualTo(3);
        assertThat(Highlights.distance("日本語", "日本", 10)).isEqualTo(1);
    }

    @Test
    void markedTextEscapesHtmlAndMarksEveryMatchingWord() {
        CatalogAnalyzer a = CatalogAnalyzer.freeText();
        assertThat(Highlights.mark(a, "customer_orders:spend_7d", List.of("order", "spend")))
            .isEqualTo("customer_<em>orders</em>:<em>spend</em>_7d");
        assertThat(Highlights.mark(a, "<script>alert('x')</script> amounts", List.of("amount")))
            .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <em>amounts</em>");
        assertThat(Highlights.mark(a, "nothing here", List.of("amount"))).isNull();
    }
}
