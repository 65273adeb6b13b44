package io.hearth.search;

import io.hearth.search.SearchResult.Hit;
import io.hearth.search.SearchResult.Suggestion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.FuzzyTermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.suggest.InputIterator;
import org.apache.lucene.search.suggest.Lookup;
import org.apache.lucene.search.suggest.analyzing.AnalyzingInfixSuggester;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * An in-memory Lucene index of one {@link Catalog}: a document per object, searched by free text (every word of the
 * query must match a word of the object's name, description, tags, owner or related names, exactly, as a prefix, or,
 * for a word of five letters or more that no object has, within two edits), filtered by kind, owner, tag, entity and deprecation, counted
 * by facets, and suggested by name for type-ahead. Immutable once built; a new registry version gets a new index
 * ({@link #build}). Thread-safe. Reference-counted: the owner holds one reference, each user {@link #acquire()}s one
 * and {@link #release()}s it; the index closes when the last is released.
 *
 * <p>Ranking: a word found in the object's own name weighs most, then in its full name (a feature's view), then its
 * description, then the rest; an exact word more than a prefix, a prefix more than a typo; a query equal to a name
 * (whole, or a feature's or column's own name) comes first. Ties go by kind, then name, so results are stable.
 */
public final class CatalogIndex implements AutoCloseable {
    /** The facet value of an object without an owner, tag or entity. */
    public static final String NONE = "(none)";
    /** Facets, in the order answers list them. */
    public static final List<String> FACETS = List.of("kind", "owner", "tag", "entity");
    /** Most values a facet lists (most frequent first). */
    public static final int MAX_FACET_VALUES = 200;
    /** Query words used; the rest of a very long query is ignored. */
    static final int MAX_WORDS = 32;
    /** Words within two edits of a typo that are searched for it, nearest first. */
    static final int MAX_NEAR = 64;

    private static final String ORD = "ord";
    private static final String RANK = "rank";
    private static final String SORT_NAME = "sort_name";
    private static final String KIND = "f_kind";
    private static final String OWNER = "f_owner";
    private static final String TAG = "f_tag";
    private static final String ENTITY = "f_entity";
    private static final String DEPRECATED = "f_deprecated";
    private static final String EXACT = "exact";
    private static final String OWN = "own";
    private static final String NAME = "name";
    /** Name, description, tags, owner and related names: everything searchable, and where typos are looked up. */
    private static final String ALL = "all";
    private static final Sort ORDER = new Sort(SortField.FIELD_SCORE, new SortField(RANK, SortField.Type.INT),
        new SortField(SORT_NAME, SortField.Type.STRING));

    private final Catalog catalog;
    private final ByteBuffersDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final SortedSetDocValuesReaderState facetState;
    private final AnalyzingInfixSuggester suggester;
    private final Analyzer analyzer = CatalogAnalyzer.freeText();
    private final AtomicInteger refs = new AtomicInteger(1);

    private CatalogIndex(Catalog catalog, ByteBuffersDirectory directory, DirectoryReader reader,
                         SortedSetDocValuesReaderState facetState, AnalyzingInfixSuggester suggester) {
        this.catalog = catalog;
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.facetState = facetState;
        this.suggester = suggester;
    }

    /** Indexes every object of the catalog. */
    public static CatalogIndex build(Catalog catalog) {
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        FacetsConfig facets = facetsConfig();
        try {
            IndexWriterConfig cfg = new IndexWriterConfig(CatalogAnalyzer.freeText())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(256).setCommitOnClose(true);
            try (IndexWriter w = new IndexWriter(dir, cfg)) {
                List<CatalogObject> objects = catalog.objects();
                for (int i = 0; i < objects.size(); i++) {
                    w.addDocument(facets.build(document(objects.get(i), i)));
                }
            }
            DirectoryReader reader = DirectoryReader.open(dir);
            SortedSetDocValuesReaderState state = reader.maxDoc() == 0 ? null
                : new DefaultSortedSetDocValuesReaderState(reader);
            // minPrefixChars 0: no edge n-grams of short prefixes (they doubled the build time); a prefix query over
            // the names of one catalog is fast enough for any prefix
            AnalyzingInfixSuggester suggester = new AnalyzingInfixSuggester(new ByteBuffersDirectory(),
                CatalogAnalyzer.typeAhead(), CatalogAnalyzer.typeAhead(), 0, false, true, false);
            suggester.build(new Names(catalog.objects()));

            return new CatalogIndex(catalog, dir, reader, state, suggester);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the catalog in memory", e);
        }
    }

    private static FacetsConfig facetsConfig() {
        FacetsConfig c = new FacetsConfig();
        c.setMultiValued("tag", true);
        c.setMultiValued("entity", true);
        for (String dim : FACETS) { // the f_* fields filter; drill-down terms would only cost indexing time
            c.setDrillDownTermsIndexing(dim, FacetsConfig.DrillDownTermsIndexing.NONE);
        }
        return c;
    }

    private static Document document(CatalogObject o, int ord) {
        Document d = new Document();
        d.add(new NumericDocValuesField(ORD, ord));
        d.add(new NumericDocValuesField(RANK, o.kind().ordinal()));
        d.add(new SortedDocValuesField(SORT_NAME, new BytesRef(o.name())));
        d.add(new StringField(KIND, o.kind().spelling(), Field.Store.NO));
        d.add(new SortedSetDocValuesFacetField("kind", o.kind().spelling()));
        d.add(new SortedSetDocValuesFacetField("owner", o.owner() == null ? NONE : o.owner()));
        d.add(new StringField(OWNER, o.owner() == null ? NONE : lower(o.owner()), Field.Store.NO));
        Set<String> tagTerms = new LinkedHashSet<>();
        for (String t : o.tags()) {
            d.add(new SortedSetDocValuesFacetField("tag", t));
            tagTerms.add(lower(t));
            int colon = t.indexOf(':');
            if (colon > 0) {
                tagTerms.add(lower(t.substring(0, colon)));
            }
        }
        if (o.tags().isEmpty()) {
            d.add(new SortedSetDocValuesFacetField("tag", NONE));
            tagTerms.add(NONE);
        }
        tagTerms.forEach(t -> d.add(new StringField(TAG, t, Field.Store.NO)));
        for (String e : new LinkedHashSet<>(o.entities())) {
            d.add(new SortedSetDocValuesFacetField("entity", e));
            d.add(new StringField(ENTITY, lower(e), Field.Store.NO));
        }
        if (o.entities().isEmpty()) {
            d.add(new SortedSetDocValuesFacetField("entity", NONE));
            d.add(new StringField(ENTITY, NONE, Field.Store.NO));
        }
        d.add(new StringField(DEPRECATED, Boolean.toString(o.deprecated()), Field.Store.NO));
        d.add(new StringField(EXACT, lower(o.name()), Field.Store.NO));
        if (o.parent() != null) {
            d.add(new StringField(EXACT, lower(o.shortName()), Field.Store.NO));
        }
        d.add(new TextField(OWN, o.shortName(), Field.Store.NO));
        d.add(new TextField(NAME, o.name(), Field.Store.NO));
        StringBuilder text = new StringBuilder(o.name()).append(' '); // its words too: typos are looked up here alone
        if (o.description() != null) {
            text.append(o.description()).append(' ');
        }
        for (String t : o.tags()) {
            text.append(t.replace(':', ' ')).append(' ');
        }
        if (o.owner() != null) {
            text.append(o.owner()).append(' ');
        }
        o.words().forEach(w -> text.append(w).append(' '));
        d.add(new TextField(ALL, text.toString(), Field.Store.NO));
        return d;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    public Catalog catalog() {
        return catalog;
    }

    /** Objects indexed. */
    public int size() {
        return reader.numDocs();
    }

    /** Takes a reference; false when the index is already closed (take the current one again). */
    public boolean acquire() {
        for (;;) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the index. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            try {
                suggester.close();
                reader.close();
                directory.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Gives the owner's reference back. */
    @Override
    public void close() {
        release();
    }

    /** The page of objects the query finds, with the total and the facets of everything it finds. */
    public SearchResult search(SearchQuery q) {
        List<String> words = q.q().isEmpty() ? List.of() : words(analyzer, q.q(), MAX_WORDS);
        if (!q.q().isEmpty() && words.isEmpty()) { // only stop words or punctuation: nothing to find
            return new SearchResult(0, List.of(), emptyFacets());
        }
        Query text;
        Set<String> typos = new HashSet<>();
        try {
            for (String w : words) {
                if (typoAllowed(w)) {
                    typos.add(w);
                }
            }
            text = words.isEmpty() ? null : textQuery(q.q(), words);
        } catch (IOException e) {
            throw new UncheckedIOException("the in-memory catalog index could not be read", e);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(text == null ? new MatchAllDocsQuery() : text, Occur.MUST);
        if (q.kind() != null) {
            b.add(new TermQuery(new Term(KIND, q.kind().spelling())), Occur.FILTER);
        }
        if (q.owner() != null) {
            b.add(new TermQuery(new Term(OWNER, lower(q.owner()))), Occur.FILTER);
        }
        if (q.tag() != null) {
            b.add(new TermQuery(new Term(TAG, lower(q.tag()))), Occur.FILTER);
        }
        if (q.entity() != null) {
            b.add(new TermQuery(new Term(ENTITY, lower(q.entity()))), Occur.FILTER);
        }
        if (q.deprecated() != null) {
            b.add(new TermQuery(new Term(DEPRECATED, q.deprecated().toString())), Occur.FILTER);
        }
        Query query = b.build();
        try {
            FacetsCollector fc = new FacetsCollector();
            TopFieldDocs top = FacetsCollector.search(searcher, query, q.offset() + q.limit(), ORDER, true, fc);
            long total = 0;
            for (FacetsCollector.MatchingDocs md : fc.getMatchingDocs()) {
                total += md.totalHits;
            }
            ScoreDoc[] page = top.scoreDocs.length <= q.offset() ? new ScoreDoc[0]
                : java.util.Arrays.copyOfRange(top.scoreDocs, q.offset(), top.scoreDocs.length);
            List<Hit> hits = new ArrayList<>(page.length);
            for (int i = 0; i < page.length; i++) {
                CatalogObject o = object(page[i].doc);
                float score = text == null ? 0f : (Float) ((FieldDoc) page[i]).fields[0];
                Map<String, String> h = new LinkedHashMap<>();
                if (text != null) {
                    String name = Highlights.mark(analyzer, o.name(), words, typos);
                    if (name != null) {
                        h.put("name", name);
                    }
                    String description = o.description() == null ? null
                        : Highlights.mark(analyzer, o.description(), words, typos);
                    if (description != null) {
                        h.put("description", description);
                    }
                }
                hits.add(new Hit(o.id(), o.kind(), o.name(), o.description(), o.owner(), o.tags(), o.deprecated(), score,
                    h));
            }
            return new SearchResult(total, hits, facets(fc));
        } catch (IOException e) {
            throw new UncheckedIOException("the in-memory catalog index could not be read", e);
        }
    }

    /**
     * Names starting with what was typed, by any word of them ({@code ord} finds {@code average_order_value_30d}; every
     * word typed but the last must be whole); best first (services, views, models and sources before features, features
     * before columns, shorter names first, deprecated ones last). When no name starts so (a typo), the best names a
     * search finds instead.
     */
    public List<Suggestion> suggest(String typed, ObjectKind kind, int limit) {
        String t = typed == null ? "" : typed.strip();
        if (t.isEmpty() || words(CatalogAnalyzer.typeAhead(), t, MAX_WORDS).isEmpty()) {
            return List.of();
        }
        List<Suggestion> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            Set<BytesRef> contexts = kind == null ? null : Set.of(new BytesRef(kind.spelling()));
            for (Lookup.LookupResult r : suggester.lookup(t, contexts, limit, true, false)) {
                String id = r.payload.utf8ToString();
                CatalogObject o = catalog.object(ObjectKind.of(id.substring(0, id.indexOf(':'))).orElseThrow(),
                    id.substring(id.indexOf(':') + 1)).orElseThrow();
                if (seen.add(id)) {
                    out.add(new Suggestion(id, o.kind(), o.name()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the in-memory suggester could not be read", e);
        }
        if (out.isEmpty()) {
            SearchQuery q = new SearchQuery(t.length() > SearchQuery.MAX_Q ? t.substring(0, SearchQuery.MAX_Q) : t, kind,
                null, null, null, null, Math.min(limit, SearchQuery.MAX_LIMIT), 0);
            for (Hit h : search(q).hits()) {
                out.add(new Suggestion(h.id(), h.kind(), h.name()));
            }
        }
        return out;
    }

    private CatalogObject object(int doc) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        NumericDocValues ords = leaf.reader().getNumericDocValues(ORD);
        if (ords == null || !ords.advanceExact(doc - leaf.docBase)) {
            throw new IllegalStateException("document " + doc + " has no ordinal");
        }
        return catalog.objects().get((int) ords.longValue());
    }

    /**
     * Every word of the query must match, one way or another ({@link Highlights#matches} says the same in plain code):
     * exactly, as a prefix (two letters or more), or, for a word of five letters or more that no object has (a typo),
     * within two edits; in the object's own name (weighs most), its full name, or the rest of its text. A word the
     * catalog has is not also matched within two edits: that is what cost most (the edit automata of every word, at
     * about 1.5 ms each at 10k features), and it found near words a person did not mean ("largest" for "latest").
     */
    private Query textQuery(String q, List<String> words) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String w : words) {
            List<Query> alternatives = new ArrayList<>();
            alternatives.add(boost(new TermQuery(new Term(OWN, w)), 6f));
            alternatives.add(boost(new TermQuery(new Term(NAME, w)), 3f));
            alternatives.add(boost(new TermQuery(new Term(ALL, w)), 1f));
            if (w.length() >= Highlights.MIN_PREFIX) {
                alternatives.add(boost(new PrefixQuery(new Term(OWN, w)), 3f));
                alternatives.add(boost(new PrefixQuery(new Term(NAME, w)), 2f));
                alternatives.add(boost(new PrefixQuery(new Term(ALL, w)), 0.5f));
            }
            if (typoAllowed(w)) {
                // the words within two edits, found once (one edit automaton, over every searchable word), then
                // weighed by field as exact words are, at half their weight
                for (String near : nearWords(w)) {
                    alternatives.add(boost(new TermQuery(new Term(OWN, near)), 3f));
                    alternatives.add(boost(new TermQuery(new Term(NAME, near)), 1.5f));
                    alternatives.add(boost(new TermQuery(new Term(ALL, near)), 0.5f));
                }
            }
            b.add(new DisjunctionMaxQuery(alternatives, 0.1f), Occur.MUST);
        }
        b.add(boost(new TermQuery(new Term(EXACT, lower(q))), 20f), Occur.SHOULD);
        return b.build();
    }

    /** Words of the index within two edits of {@code w} (transpositions count one), nearest first, at most 64. */
    private List<String> nearWords(String w) throws IOException {
        Map<String, Integer> found = new java.util.HashMap<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            org.apache.lucene.index.Terms terms = leaf.reader().terms(ALL);
            if (terms == null) {
                continue;
            }
            FuzzyTermsEnum near = new FuzzyTermsEnum(terms, new Term(ALL, w), Highlights.MAX_EDITS, 0, true);
            for (BytesRef t = near.next(); t != null; t = near.next()) {
                String word = t.utf8ToString();
                found.putIfAbsent(word, Highlights.distance(word, w, Highlights.MAX_EDITS + 1));
            }
        }
        return found.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey())).limit(MAX_NEAR).map(Map.Entry::getKey).toList();
    }

    /** Whether a query word may match within two edits: five letters or more, and no object has it. */
    private boolean typoAllowed(String w) throws IOException {
        if (w.codePointCount(0, w.length()) < Highlights.MIN_TYPO) {
            return false;
        }
        BytesRef term = new BytesRef(w);
        for (LeafReaderContext leaf : reader.leaves()) {
            for (String field : List.of(NAME, ALL)) {
                org.apache.lucene.index.Terms terms = leaf.reader().terms(field);
                if (terms != null && terms.iterator().seekExact(term)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Query boost(Query q, float by) {
        return new BoostQuery(q, by);
    }

    /** The words an analyzer makes of a text, at most {@code max}, each once, in order. */
    static List<String> words(Analyzer a, String text, int max) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = a.tokenStream("q", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && out.size() < max) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(out);
    }

    private Map<String, Map<String, Long>> facets(FacetsCollector fc) throws IOException {
        if (facetState == null) {
            return emptyFacets();
        }
        SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(facetState, fc);
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String dim : FACETS) {
            Map<String, Long> values = new LinkedHashMap<>();
            SortedSetDocValuesReaderState.OrdRange range = facetState.getOrdRange(dim);
            if (range != null) {
                FacetResult r = counts.getTopChildren(Math.min(MAX_FACET_VALUES, range.end - range.start + 1), dim);
                if (r != null) {
                    List<LabelAndValue> lv = new ArrayList<>(List.of(r.labelValues));
                    lv.sort(Comparator.comparingLong((LabelAndValue x) -> -x.value.longValue())
                        .thenComparing(x -> x.label));
                    lv.forEach(x -> values.put(x.label, x.value.longValue()));
                }
            }
            out.put(dim, values);
        }
        return out;
    }

    private static Map<String, Map<String, Long>> emptyFacets() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        FACETS.forEach(f -> out.put(f, Map.of()));
        return out;
    }

    /** Names to suggest: text, weight, the object's id as payload and its kind as context. */
    private static final class Names implements InputIterator {
        /** Kinds people look up by name most, first. */
        private static final Map<ObjectKind, Integer> KIND_WEIGHT = Map.of(ObjectKind.SERVICE, 9, ObjectKind.VIEW, 8,
            ObjectKind.MODEL, 8, ObjectKind.ENTITY, 8, ObjectKind.SOURCE, 7, ObjectKind.FEATURE, 6,
            ObjectKind.TRAINING_SET, 5, ObjectKind.COLUMN, 3);

        private final List<CatalogObject> objects;
        private int at = -1;

        Names(List<CatalogObject> objects) {
            this.objects = objects;
        }

        @Override
        public BytesRef next() {
            return ++at < objects.size() ? new BytesRef(objects.get(at).name()) : null;
        }

        @Override
        public long weight() {
            CatalogObject o = objects.get(at);
            return KIND_WEIGHT.get(o.kind()) * 10_000L - Math.min(o.name().length(), 999) - (o.deprecated() ? 5_000 : 0);
        }

        @Override
        public BytesRef payload() {
            return new BytesRef(objects.get(at).id());
        }

        @Override
        public boolean hasPayloads() {
            return true;
        }

        @Override
        public Set<BytesRef> contexts() {
            return Set.of(new BytesRef(objects.get(at).kind().spelling()));
        }

        @Override
        public boolean hasContexts() {
            return true;
        }
    }
}
