package io.hearth.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.HearthException;
import io.hearth.search.SearchResult.Hit;
import io.hearth.search.SearchResult.Suggestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search on a realistic registry (the demo, a view with camelCase names, and 2,000 generated features): exact names
 * first, words of names in either style, typos, prefixes, filters, facets, highlights, pages and type-ahead.
 */
class CatalogIndexTest {
    static CatalogIndex demo;
    static CatalogIndex big;

    @BeforeAll
    static void build() {
        demo = Catalogs.index(Catalogs.demoAndExtra());
        big = Catalogs.index(Catalogs.realistic(42, 2_000));
    }

    @AfterAll
    static void close() {
        demo.close();
        big.close();
    }

    private static List<String> names(SearchResult r) {
        return r.hits().stream().map(Hit::name).toList();
    }

    private static SearchResult search(CatalogIndex index, String q) {
        return index.search(SearchQuery.text(q));
    }

    @Test
    void aQueryEqualToANameFindsThatObjectFirst() {
        assertThat(names(search(big, "customer_orders:spend_7d"))).first().isEqualTo("customer_orders:spend_7d");
        assertThat(names(search(big, "spend_7d"))).first().isEqualTo("customer_orders:spend_7d");
        assertThat(names(search(big, "churn_model_v1"))).first().isEqualTo("churn_model_v1");
        assertThat(search(big, "orders.amount").hits().get(0).id()).isEqualTo("column:orders.amount");
    }

    @Test
    void everyGeneratedFeatureIsFoundFirstByItsFullName() {
        List<CatalogObject> features = big.catalog().objects().stream().filter(o -> o.kind() == ObjectKind.FEATURE)
            .toList();
        for (int i = 0; i < features.size(); i += 37) {
            String name = features.get(i).name();
            assertThat(names(search(big, name))).as(name).first().isEqualTo(name);
        }
    }

    @Test
    void snakeCaseAndCamelCaseNamesMatchTheirWords() {
        List<String> found = names(big.search(SearchQuery.text("order value").withKind(ObjectKind.FEATURE)));
        assertThat(found).contains("customer_orders:average_order_value_30d", "checkout_stats:avgOrderValue");
        assertThat(names(search(demo, "avg order"))).contains("checkout_stats:avgOrderValue");
        assertThat(names(search(demo, "avgOrderValue"))).first().isEqualTo("checkout_stats:avgOrderValue");
    }

    @Test
    void wordsOfFiveLettersOrMoreTolerateTwoEdits() {
        assertThat(names(search(demo, "averge ordr valeu"))).as("'ordr' is short: no typo allowed").isEmpty();
        assertThat(names(search(demo, "averge order valeu"))).first().isEqualTo("customer_orders:average_order_value_30d");
        assertThat(names(search(big, "custmer tenur"))).contains("customer_profile:tenure_days");
        assertThat(names(search(demo, "frquency"))).first().isEqualTo("customer_orders:purchase_frequency_30d");
        assertThat(search(demo, "spnd").total()).as("four letters: no typo tolerated").isZero();
    }

    @Test
    void aWordMayBeThePrefixOfANameWord() {
        assertThat(names(search(big, "purch"))).first().isEqualTo("customer_orders:purchase_frequency_30d");
        assertThat(names(search(demo, "ten"))).contains("customer_profile:tenure_days", "profiles.tenure_days");
    }

    @Test
    void descriptionsTagsAndOwnersAreSearchedButNamesWeighMore() {
        assertThat(names(search(demo, "largest order"))).as("'largest' is a word of the catalog: not read as a typo of "
            + "'latest'").containsExactlyInAnyOrder("customer_orders:max_order_1d", "customer_orders:max_order_7d");
        assertThat(names(search(demo, "largst order"))).as("a typo matches both").contains(
            "customer_orders:max_order_1d", "customer_orders:last_amount");
        assertThat(names(search(demo, "growth"))).contains("customer_orders", "customer_orders:spend_7d");
        assertThat(names(search(demo, "retention"))).contains("churn_v1");
        List<String> tier = names(search(demo, "tier"));
        assertThat(tier.subList(0, 2)).containsExactlyInAnyOrder("customer_profile:tier", "profiles.tier");
    }

    @Test
    void filtersNarrowByKindOwnerTagEntityAndDeprecationWithInheritedOwnersAndDeprecation() {
        SearchQuery all = SearchQuery.all().page(100, 0);
        SearchResult growth = demo.search(new SearchQuery("", ObjectKind.FEATURE, "GROWTH-team", null, null, null, 100, 0));
        assertThat(growth.total()).as("features take their view's owner").isEqualTo(7);
        SearchResult pii = demo.search(new SearchQuery("", null, null, "pii", null, null, 100, 0));
        assertThat(names(pii)).containsExactlyInAnyOrder("orders", "profiles", "orders.customer_id",
            "profiles.customer_id");
        SearchResult domain = demo.search(new SearchQuery("", null, null, "domain", null, null, 100, 0));
        assertThat(names(domain)).as("a pair's key alone").containsExactlyInAnyOrder("orders", "profiles",
            "customer_orders", "customer_profile");
        assertThat(names(demo.search(new SearchQuery("", null, null, "domain:crm", null, null, 100, 0))))
            .containsExactlyInAnyOrder("profiles", "customer_profile");
        assertThat(names(demo.search(new SearchQuery("", null, null, null, null, true, 100, 0))))
            .containsExactly("customer_orders:max_order_1d");
        assertThat(demo.search(new SearchQuery("", null, null, null, "customer", null, 100, 0)).total())
            .isEqualTo(demo.search(all).total());
        assertThat(demo.search(new SearchQuery("", null, null, null, "nobody", null, 100, 0)).total()).isZero();
    }

    @Test
    void anEmptyQueryListsEverythingByKindThenName() {
        SearchResult r = demo.search(SearchQuery.all().page(100, 0));
        assertThat(r.total()).isEqualTo(demo.catalog().objects().size()).isEqualTo(30);
        List<Integer> kinds = r.hits().stream().map(h -> h.kind().ordinal()).toList();
        assertThat(kinds).isSorted();
        assertThat(r.hits()).allSatisfy(h -> assertThat(h.score()).isZero());
        assertThat(r.hits().get(0).id()).isEqualTo("entity:customer");
    }

    @Test
    void pagesFollowOneAnotherWithoutGapsOrRepeats() {
        SearchQuery q = SearchQuery.text("amount");
        SearchResult whole = big.search(q.page(100, 0));
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < whole.total() && offset < 100; offset += 7) {
            SearchResult page = big.search(q.page(7, offset));
            assertThat(page.total()).isEqualTo(whole.total());
            page.hits().forEach(h -> paged.add(h.id()));
        }
        assertThat(paged.subList(0, whole.hits().size())).containsExactlyElementsOf(whole.hits().stream().map(Hit::id)
            .toList());
        assertThat(big.search(q.page(10, SearchQuery.MAX_OFFSET)).hits()).isEmpty();
    }

    @Test
    void kindAndOwnerFacetsAddUpToTheTotalAndEveryObjectHasEachFacet() {
        SearchResult r = big.search(SearchQuery.text("amount"));
        assertThat(r.total()).isGreaterThan(100);
        assertThat(r.facets().keySet()).containsExactly("kind", "owner", "tag", "entity");
        assertThat(r.facets().get("kind").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.total());
        assertThat(r.facets().get("owner").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.total());
        assertThat(r.facets().get("tag").values().stream().mapToLong(Long::longValue).sum())
            .isGreaterThanOrEqualTo(r.total());
        assertThat(r.facets().get("kind")).containsKeys("feature", "column");
        List<Long> counts = new ArrayList<>(r.facets().get("owner").values());
        assertThat(counts).as("most first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void highlightsMarkTheMatchingWordsInNamesAndDescriptionsAndEscapeTheRest() {
        Hit spend = search(demo, "spend").hits().get(0);
        assertThat(spend.highlights()).containsEntry("name", "customer_orders:<em>spend</em>_7d");
        Hit basket = search(demo, "basket").hits().get(0);
        assertThat(basket.name()).isEqualTo("checkout_stats:avgOrderValue");
        assertThat(basket.highlights().get("description")).isEqualTo(
            "Mean &lt;b&gt;<em>basket</em>&lt;/b&gt; &amp; order value over a week.");
        assertThat(basket.highlights()).doesNotContainKey("name");
        Hit typo = search(demo, "frquency").hits().get(0);
        assertThat(typo.highlights().get("name")).contains("<em>frequency</em>");
    }

    @Test
    void aHitCarriesTheObjectsMetadata() {
        Hit h = search(demo, "max_order_1d").hits().get(0);
        assertThat(h.id()).isEqualTo("feature:customer_orders:max_order_1d");
        assertThat(h.kind()).isEqualTo(ObjectKind.FEATURE);
        assertThat(h.description()).isEqualTo("Largest order in the last day.");
        assertThat(h.owner()).isEqualTo("growth-team");
        assertThat(h.deprecated()).isTrue();
        assertThat(h.score()).isPositive();
        Hit orders = search(demo, "orders").hits().stream().filter(x -> x.id().equals("source:orders")).findFirst()
            .orElseThrow();
        assertThat(orders.tags()).containsExactly("pii", "domain:commerce");
    }

    @Test
    void queriesOfOnlyStopWordsOrPunctuationFindNothing() {
        assertThat(search(demo, "the").total()).isZero();
        assertThat(search(demo, "?!(*)").total()).isZero();
        assertThat(search(demo, "\"customer").total()).as("quotes are not syntax").isPositive();
        assertThat(search(demo, "amount AND OR NOT ~ ^2 field:value").total()).isZero();
    }

    @Test
    void typeAheadSuggestsNamesByAnyWordPrefixAndFallsBackToSearchOnATypo() {
        List<String> ord = demo.suggest("ord", null, 10).stream().map(Suggestion::id).toList();
        assertThat(ord).contains("source:orders", "view:customer_orders", "feature:customer_orders:average_order_value_30d");
        assertThat(ord.indexOf("view:customer_orders")).as("views before features")
            .isLessThan(ord.indexOf("feature:customer_orders:average_order_value_30d"));
        assertThat(demo.suggest("avg ord", null, 10)).extracting(Suggestion::name)
            .containsExactly("checkout_stats:avgOrderValue");
        assertThat(demo.suggest("ord", ObjectKind.COLUMN, 10)).extracting(Suggestion::kind)
            .containsOnly(ObjectKind.COLUMN).isNotEmpty();
        assertThat(demo.suggest("frequncy", null, 5)).extracting(Suggestion::name)
            .contains("customer_orders:purchase_frequency_30d");
        assertThat(demo.suggest("  ", null, 5)).isEmpty();
        assertThat(demo.suggest("zzzzqqq", null, 5)).isEmpty();
    }

    @Test
    void badValuesAreRefusedNamingTheParameterAndRule() {
        assertThatThrownBy(() -> new SearchQuery("x".repeat(201), null, null, null, null, null, 10, 0))
            .isInstanceOfSatisfying(HearthException.class, e -> {
                assertThat(e.field()).isEqualTo("q");
                assertThat(e.rule()).isEqualTo("length");
            });
        assertThatThrownBy(() -> SearchQuery.all().page(0, 0)).hasMessageContaining("limit must be");
        assertThatThrownBy(() -> SearchQuery.all().page(101, 0)).hasMessageContaining("limit must be");
        assertThatThrownBy(() -> SearchQuery.all().page(10, -1)).hasMessageContaining("offset must be");
        assertThatThrownBy(() -> ObjectKind.parse("kind", "table")).isInstanceOfSatisfying(HearthException.class,
            e -> assertThat(e.getMessage()).contains("entity, source, column, view, feature, service, model, "
                + "training_set"));
    }

    @Test
    void anEmptyCatalogFindsNothingAndSuggestsNothing() {
        try (CatalogIndex empty = Catalogs.index(io.hearth.catalog.Definitions.empty())) {
            SearchResult r = empty.search(SearchQuery.text("anything"));
            assertThat(r.total()).isZero();
            assertThat(empty.search(SearchQuery.all()).facets()).containsEntry("kind", Map.of());
            assertThat(empty.suggest("any", null, 5)).isEmpty();
        }
    }
}
