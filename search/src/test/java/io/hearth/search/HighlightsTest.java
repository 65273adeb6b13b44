package io.hearth.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The matching rule in plain code, and marked text. */
class HighlightsTest {
    @Test
    void aWordMatchesExactlyAsAPrefixOrWithinTwoEditsWhenLongEnough() {
        assertThat(Highlights.matches("spend", "spend", false)).isTrue();
        assertThat(Highlights.matches("spend", "sp", false)).isTrue();
        assertThat(Highlights.matches("spend", "s", false)).as("one letter is not a prefix").isFalse();
        assertThat(Highlights.matches("frequency", "frquency", true)).isTrue();
        assertThat(Highlights.matches("frequency", "frquency", false)).as("a word the catalog has").isFalse();
        assertThat(Highlights.matches("value", "valeu", true)).as("a transposition is one edit").isTrue();
        assertThat(Highlights.matches("average", "avrge", true)).isTrue();
        assertThat(Highlights.matches("average", "avrgx", true)).isFalse();
        assertThat(Highlights.distance("kitten", "sitting", 10)).isEqualTo(3);
        assertThat(Highlights.distance("日本語", "日本", 10)).isEqualTo(1);
    }

    @Test
    void markedTextEscapesHtmlAndMarksEveryMatchingWord() {
        CatalogAnalyzer a = CatalogAnalyzer.freeText();
        assertThat(Highlights.mark(a, "customer_orders:spend_7d", List.of("order", "spend"), java.util.Set.of()))
            .isEqualTo("customer_<em>orders</em>:<em>spend</em>_7d");
        assertThat(Highlights.mark(a, "<script>alert('x')</script> amounts", List.of("amount"), java.util.Set.of()))
            .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <em>amounts</em>");
        assertThat(Highlights.mark(a, "nothing here", List.of("amount"), java.util.Set.of())).isNull();
        assertThat(Highlights.mark(a, "the latest order", List.of("largest"), java.util.Set.of("largest")))
            .isEqualTo("the <em>latest</em> order");
    }
}
