package io.hearth.search;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;

/**
 * One catalog search: free text {@code q} (blank: everything), and filters on kind, owner, tag ({@code pii},
 * {@code domain:commerce}, or a pair's key alone, {@code domain}), entity and deprecation (null: any), each matched
 * without regard to case; the page is {@code limit} hits from {@code offset}. A value out of its range is a
 * {@link HearthException} naming the query parameter and the rule.
 */
public record SearchQuery(String q, ObjectKind kind, String owner, String tag, String entity, Boolean deprecated,
                          int limit, int offset) {
    public static final int MAX_Q = 200;
    public static final int MAX_FILTER = 200;
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_OFFSET = 10_000;

    public SearchQuery {
        q = q == null ? "" : q.strip();
        if (q.length() > MAX_Q) {
            throw invalid("q", "length", "q must be at most " + MAX_Q + " characters, got " + q.length());
        }
        owner = filter("owner", owner);
        tag = filter("tag", tag);
        entity = filter("entity", entity);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit", "range", "limit must be a whole number from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw invalid("offset", "range", "offset must be a whole number from 0 to " + MAX_OFFSET + ", got " + offset);
        }
    }

    /** Everything, first page. */
    public static SearchQuery all() {
        return new SearchQuery("", null, null, null, null, null, DEFAULT_LIMIT, 0);
    }

    /** Free text, first page of the default size, no filters. */
    public static SearchQuery text(String q) {
        return new SearchQuery(q, null, null, null, null, null, DEFAULT_LIMIT, 0);
    }

    public SearchQuery withKind(ObjectKind k) {
        return new SearchQuery(q, k, owner, tag, entity, deprecated, limit, offset);
    }

    public SearchQuery page(int pageLimit, int pageOffset) {
        return new SearchQuery(q, kind, owner, tag, entity, deprecated, pageLimit, pageOffset);
    }

    private static String filter(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_FILTER) {
            throw invalid(field, "length", field + " must be at most " + MAX_FILTER + " characters, got " + value.length());
        }
        return value.strip();
    }

    private static HearthException invalid(String field, String rule, String message) {
        return new HearthException(ErrorCode.INVALID_FIELD, field, rule, message);
    }
}
