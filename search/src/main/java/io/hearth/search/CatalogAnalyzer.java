package io.hearth.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;

/**
 * How the catalog reads names and text: the words {@link WordTokenizer} finds, so that
 * {@code average_order_value_30d}, {@code avgOrderValue} and {@code customer_orders:spend_7d} are their words
 * ({@code average order value 30d}); lower-cased. For free text (the index and search queries) English stop words go
 * and plurals become singular ({@code orders} finds {@code order}); type-ahead keeps every word as typed, since the
 * last one is a prefix. Offsets point at each word, so highlights mark the word inside a name.
 */
final class CatalogAnalyzer extends Analyzer {
    private final boolean freeText;

    private CatalogAnalyzer(boolean freeText) {
        this.freeText = freeText;
    }

    /** For the index and search queries: stop words dropped, plurals made singular. */
    static CatalogAnalyzer freeText() {
        return new CatalogAnalyzer(true);
    }

    /** For type-ahead: every word kept as typed (lower-cased). */
    static CatalogAnalyzer typeAhead() {
        return new CatalogAnalyzer(false);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        WordTokenizer source = new WordTokenizer();
        TokenStream t = new LowerCaseFilter(source);
        if (freeText) {
            t = new StopFilter(t, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            t = new EnglishMinimalStemFilter(t);
        }
        return new TokenStreamComponents(source, t);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }
}
