package io.hearth.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.search.SearchResult.Hit;
import io.hearth.testing.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The index's filters and facet counts against the simplest oracle: the catalog's objects filtered and counted one by
 * one. Random filter combinations on a generated registry; with free text, the facets must count exactly the objects
 * found. The seed is printed; {@code -Dhearth.seed=N} replays a run.
 */
class FacetDuelTest {
    static CatalogIndex index;
    static List<CatalogObject> objects;

    @BeforeAll
    static void build() {
        index = Catalogs.index(Catalogs.realistic(7, 1_500));
        objects = index.catalog().objects();
    }

    @AfterAll
    static void close() {
        index.close();
    }

    private static <T> T pick(List<T> from, SplittableRandom rnd) {
        return from.get(rnd.nextInt(from.size()));
    }

    @Test
    void filtersAndFacetsEqualANaiveFilterOverEveryObject() {
        long seed = Seeds.seed("FacetDuelTest.filters");
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> owners = new ArrayList<>(objects.stream().map(o -> o.owner() == null ? CatalogIndex.NONE : o.owner())
            .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        owners.add("nobody-team");
        List<String> tags = new ArrayList<>(objects.stream().flatMap(o -> o.tags().stream())
            .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        tags.add("domain");
        List<String> entities = new ArrayList<>(objects.stream().flatMap(o -> o.entities().stream())
            .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        for (int round = 0; round < 300; round++) {
            ObjectKind kind = rnd.nextInt(3) == 0 ? pick(List.of(ObjectKind.values()), rnd) : null;
            String owner = rnd.nextInt(3) == 0 ? pick(owners, rnd) : null;
            String tag = rnd.nextInt(3) == 0 ? pick(tags, rnd) : null;
            String entity = rnd.nextInt(3) == 0 ? pick(entities, rnd) : null;
            Boolean deprecated = rnd.nextInt(4) == 0 ? rnd.nextBoolean() : null;
            if (owner != null && rnd.nextBoolean()) {
                owner = owner.toUpperCase(Locale.ROOT); // filters ignore case
            }
            SearchQuery q = new SearchQuery("", kind, owner, tag, entity, deprecated, 100, 0);
            String context = Seeds.replay(seed) + ", round " + round + ": " + q;
            Predicate<CatalogObject> naive = naive(q);
            List<CatalogObject> expected = objects.stream().filter(naive).sorted(java.util.Comparator
                .comparing((CatalogObject o) -> o.kind().ordinal()).thenComparing(CatalogObject::name)).toList();
            SearchResult r = index.search(q);
            assertThat(r.total()).as(context).isEqualTo(expected.size());
            assertThat(r.facets()).as(context).isEqualTo(count(expected));
            assertThat(ids(all(q, r.total()))).as(context).isEqualTo(expected.stream().map(CatalogObject::id).toList());
        }
    }

    @Test
    void withFreeTextTheFacetsCountExactlyTheObjectsFound() {
        long seed = Seeds.seed("FacetDuelTest.text");
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> words = new ArrayList<>(new LinkedHashSet<>(objects.stream()
            .flatMap(o -> CatalogIndex.words(CatalogAnalyzer.typeAhead(), o.name(), 10).stream()).toList()));
        for (int round = 0; round < 60; round++) {
            String text = pick(words, rnd);
            if (rnd.nextBoolean() && text.length() > 3) {
                text = text.substring(0, 2 + rnd.nextInt(text.length() - 2)); // a prefix
            }
            if (rnd.nextInt(3) == 0) {
                text = text + " " + pick(words, rnd);
            }
            ObjectKind kind = rnd.nextInt(3) == 0 ? pick(List.of(ObjectKind.values()), rnd) : null;
            SearchQuery q = new SearchQuery(text, kind, null, null, null, null, 100, 0);
            String context = Seeds.replay(seed) + ", round " + round + ": " + q;
            SearchResult r = index.search(q);
            List<Hit> found = all(q, r.total());
            assertThat(found).as(context).hasSize((int) r.total());
            assertThat(new HashSet<>(ids(found))).as(context + ": no object twice").hasSize(found.size());
            List<CatalogObject> foundObjects = found.stream().map(h -> byId(h.id())).toList();
            assertThat(r.facets()).as(context).isEqualTo(count(foundObjects));
            for (int i = 1; i < found.size(); i++) {
                assertThat(found.get(i).score()).as(context + ": best first").isLessThanOrEqualTo(found.get(i - 1).score());
            }
            if (kind != null) {
                assertThat(found).as(context).allSatisfy(h -> assertThat(h.kind()).isEqualTo(kind));
            }
        }
    }

    private static CatalogObject byId(String id) {
        return objects.stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    /** Every hit of a query, page by page. */
    private static List<Hit> all(SearchQuery q, long total) {
        List<Hit> out = new ArrayList<>();
        for (int offset = 0; offset < total && offset <= SearchQuery.MAX_OFFSET; offset += 100) {
            out.addAll(index.search(q.page(100, offset)).hits());
        }
        return out;
    }

    private static List<String> ids(List<Hit> hits) {
        return hits.stream().map(Hit::id).toList();
    }

    private static Predicate<CatalogObject> naive(SearchQuery q) {
        return o -> (q.kind() == null || o.kind() == q.kind())
            && (q.owner() == null || (o.owner() == null ? CatalogIndex.NONE : o.owner()).equalsIgnoreCase(q.owner()))
            && (q.tag() == null || o.tags().stream().anyMatch(t -> t.equalsIgnoreCase(q.tag())
                || t.toLowerCase(Locale.ROOT).startsWith(q.tag().toLowerCase(Locale.ROOT) + ":"))
                || o.tags().isEmpty() && q.tag().equals(CatalogIndex.NONE))
            && (q.entity() == null || o.entities().stream().anyMatch(e -> e.equalsIgnoreCase(q.entity()))
                || o.entities().isEmpty() && q.entity().equals(CatalogIndex.NONE))
            && (q.deprecated() == null || o.deprecated() == q.deprecated());
    }

    /** The facets of a list of objects, counted one by one (most first, then by value). */
    private static Map<String, Map<String, Long>> count(List<CatalogObject> found) {
        Map<String, Map<String, Long>> raw = new TreeMap<>();
        for (String f : CatalogIndex.FACETS) {
            raw.put(f, new TreeMap<>());
        }
        for (CatalogObject o : found) {
            raw.get("kind").merge(o.kind().spelling(), 1L, Long::sum);
            raw.get("owner").merge(o.owner() == null ? CatalogIndex.NONE : o.owner(), 1L, Long::sum);
            for (String t : o.tags().isEmpty() ? List.of(CatalogIndex.NONE) : new LinkedHashSet<>(o.tags())) {
                raw.get("tag").merge(t, 1L, Long::sum);
            }
            for (String e : o.entities().isEmpty() ? List.of(CatalogIndex.NONE) : new LinkedHashSet<>(o.entities())) {
                raw.get("entity").merge(e, 1L, Long::sum);
            }
        }
        Map<String, Map<String, Long>> out = new java.util.LinkedHashMap<>();
        for (String f : CatalogIndex.FACETS) {
            Map<String, Long> sorted = new java.util.LinkedHashMap<>();
            raw.get(f).entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> sorted.put(e.getKey(), e.getValue()));
            out.put(f, sorted);
        }
        return out;
    }
}
