package io.hearth.catalog;

import io.hearth.catalog.Expectation.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads expectations out of a source's or a view's {@code expectations} mapping, reporting every problem with its
 * line, path and rule (as {@link Nodes} does). What each expectation names (a column, a feature, its type) is checked
 * later, with the schema known: {@link #checkColumns}.
 */
final class ExpectationReader {
    private static final Set<String> SOURCE_KEYS = Set.of("window", "columns", "row_count");
    private static final Set<String> ROW_COUNT_KEYS = Set.of("min", "max", "per", "severity");
    /** The keys each kind takes beside {@code expect} and {@code severity}. */
    private static final Map<String, Set<String>> PARAMS = Map.of(
        "not_null", Set.of("mostly"),
        "between", Set.of("min", "max", "mostly"),
        "in_set", Set.of("values", "mostly"),
        "unique", Set.of("mostly"),
        "mean_between", Set.of("min", "max"),
        "stddev_between", Set.of("min", "max"),
        "null_rate", Set.of("k", "windows", "max"),
        "drift", Set.of("method", "reference", "warn", "fail"),
        "freshness", Set.of("max_lag"));
    /** Kinds that need a history of windows or a clock: they judge streams of records, not a training set. */
    private static final Set<String> SOURCE_ONLY = Set.of("null_rate", "freshness");

    private final Nodes n;

    ExpectationReader(Nodes n) {
        this.n = n;
    }

    /** A source's {@code expectations}; {@code locs} gets where each column's list was written. */
    SourceExpectations source(Node node, String path, Map<String, Nodes.Loc> locs) {
        Map<String, Node> m = n.mapping(node, path, SOURCE_KEYS);
        if (m == null) {
            return SourceExpectations.NONE;
        }
        SourceExpectations.Window window = SourceExpectations.Window.records(SourceExpectations.DEFAULT_WINDOW_RECORDS);
        if (m.containsKey("window")) {
            window = window(m.get("window"), Nodes.at(path, "window"), window);
        }
        Map<String, List<Expectation>> columns = new LinkedHashMap<>();
        if (m.containsKey("columns")) {
            String cpath = Nodes.at(path, "columns");
            Map<String, Node> cols = n.mapping(m.get("columns"), cpath, null);
            if (cols != null) {
                for (Map.Entry<String, Node> c : cols.entrySet()) {
                    String p = Nodes.at(cpath, c.getKey());
                    locs.put("expectations." + c.getKey(), n.loc(c.getValue(), p));
                    columns.put(c.getKey(), list(c.getValue(), p, true));
                }
            }
        }
        SourceExpectations.RowCount rowCount = null;
        if (m.containsKey("row_count")) {
            rowCount = rowCount(m.get("row_count"), Nodes.at(path, "row_count"));
        }
        if (columns.isEmpty() && rowCount == null) {
            n.problem(node, path, "expectations.empty", "expectations need columns or row_count");
        }
        return new SourceExpectations(window, columns, rowCount);
    }

    /** A view's {@code expectations}: per feature, a list. */
    Map<String, List<Expectation>> view(Node node, String path, Map<String, Nodes.Loc> locs) {
        Map<String, Node> m = n.mapping(node, path, null);
        Map<String, List<Expectation>> out = new LinkedHashMap<>();
        if (m == null) {
            return out;
        }
        for (Map.Entry<String, Node> f : m.entrySet()) {
            String p = Nodes.at(path, f.getKey());
            locs.put("expectations." + f.getKey(), n.loc(f.getValue(), p));
            out.put(f.getKey(), list(f.getValue(), p, false));
        }
        return out;
    }

    private SourceExpectations.Window window(Node node, String path, SourceExpectations.Window fallback) {
        String s = n.scalar(node, path);
        if (s == null) {
            return fallback;
        }
        String t = s.trim();
        if (t.matches("\\d{1,12}")) {
            long records = Long.parseLong(t);
            if (records >= 1) {
                return SourceExpectations.Window.records(records);
            }
        } else {
            long ms = Durations.parseMillis(t);
            if (ms > 0) {
                return SourceExpectations.Window.duration(ms);
            }
        }
        n.problem(node, path, "window.syntax", "a window is a number of records (1000) or a duration (5m), got '" + s + "'");
        return fallback;
    }

    private SourceExpectations.RowCount rowCount(Node node, String path) {
        Map<String, Node> m = n.mapping(node, path, ROW_COUNT_KEYS);
        if (m == null) {
            return null;
        }
        Long min = count(m, "min", path);
        Long max = count(m, "max", path);
        if (min == null && max == null && !m.containsKey("min") && !m.containsKey("max")) {
            n.problem(node, path, "row_count.bounds", "row_count needs min or max");
        }
        if (min != null && max != null && min > max) {
            n.problem(node, path, "expect.range", "min " + min + " is greater than max " + max);
        }
        long per = 0;
        if (!m.containsKey("per")) {
            n.problem(node, Nodes.at(path, "per"), "required", "row_count needs per (a duration, e.g. 15m)");
        } else {
            per = n.duration(m.get("per"), Nodes.at(path, "per"));
        }
        Severity sev = severity(m, path);
        return per > 0 ? new SourceExpectations.RowCount(min, max, per, sev) : null;
    }

    private Long count(Map<String, Node> m, String key, String path) {
        if (!m.containsKey(key)) {
            return null;
        }
        Double d = n.number(m.get(key), Nodes.at(path, key));
        if (d == null) {
            return null;
        }
        if (d < 0 || d != Math.rint(d) || d > 1e15) {
            n.problem(m.get(key), Nodes.at(path, key), "range", key + " must be a whole number >= 0, got " + d);
            return null;
        }
        return d.longValue();
    }

    /** A list of expectations ({@code forSource}: of a source column; else of a feature). */
    private List<Expectation> list(Node node, String path, boolean forSource) {
        List<Expectation> out = new ArrayList<>();
        if (!(node instanceof SequenceNode seq)) {
            n.problem(node, path, "type.list", "expected a list of expectations ([{expect: not_null}, ...])");
            return out;
        }
        if (seq.getValue().isEmpty()) {
            n.problem(node, path, "expectations.empty", "an empty list of expectations");
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            Expectation e = one(seq.getValue().get(i), path + "[" + i + "]", forSource);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private Expectation one(Node node, String path, boolean forSource) {
        Map<String, Node> raw = n.mapping(node, path, null);
        if (raw == null) {
            return null;
        }
        Node kindNode = raw.get("expect");
        if (kindNode == null) {
            n.problem(node, Nodes.at(path, "expect"), "required", "an expectation needs expect (one of "
                + String.join(", ", Expectation.KINDS) + ")");
            return null;
        }
        String kind = n.scalar(kindNode, Nodes.at(path, "expect"));
        if (kind == null) {
            return null;
        }
        if (!PARAMS.containsKey(kind)) {
            n.problem(kindNode, Nodes.at(path, "expect"), "expect.unknown", "unknown expectation '" + kind + "' (expected one of "
                + String.join(", ", Expectation.KINDS) + ")" + Suggest.hint(kind, Expectation.KINDS));
            return null;
        }
        if (!forSource && SOURCE_ONLY.contains(kind)) {
            n.problem(kindNode, Nodes.at(path, "expect"), "expect.source_only", "'" + kind + "' judges a stream of "
                + "records; a feature's expectations run over training sets");
            return null;
        }
        Set<String> allowed = new java.util.HashSet<>(PARAMS.get(kind));
        allowed.add("expect");
        allowed.add("severity");
        Map<String, Node> m = n.mapping(node, path, allowed);
        int before = n.problems.size();
        Severity sev = severity(m, path);
        Double mostly = fraction(m, "mostly", path, 1.0);
        Expectation e = switch (kind) {
            case "not_null" -> new Expectation.NotNull(mostly, sev);
            case "between" -> {
                Double[] b = bounds(m, path, node, true);
                yield new Expectation.Between(b[0], b[1], mostly, sev);
            }
            case "in_set" -> {
                List<String> values = n.stringList(m.get("values"), Nodes.at(path, "values"));
                if (!m.containsKey("values")) {
                    n.problem(node, Nodes.at(path, "values"), "required", "in_set needs values");
                } else if (values != null && values.isEmpty()) {
                    n.problem(m.get("values"), Nodes.at(path, "values"), "expect.values_empty", "values needs at least one value");
                }
                yield new Expectation.InSet(values == null ? List.of() : values, mostly, sev);
            }
            case "unique" -> new Expectation.Unique(mostly, sev);
            case "mean_between" -> {
                Double[] b = bounds(m, path, node, true);
                yield new Expectation.MeanBetween(b[0], b[1], sev);
            }
            case "stddev_between" -> {
                Double[] b = bounds(m, path, node, true);
                yield new Expectation.StddevBetween(b[0], b[1], sev);
            }
            case "null_rate" -> {
                double k = 3;
                if (m.containsKey("k")) {
                    Double d = n.number(m.get("k"), Nodes.at(path, "k"));
                    if (d != null && d <= 0) {
                        n.problem(m.get("k"), Nodes.at(path, "k"), "range", "k must be greater than 0, got " + d);
                    } else if (d != null) {
                        k = d;
                    }
                }
                int windows = 20;
                if (m.containsKey("windows")) {
                    Double d = n.number(m.get("windows"), Nodes.at(path, "windows"));
                    if (d != null && (d < 2 || d > 10_000 || d != Math.rint(d))) {
                        n.problem(m.get("windows"), Nodes.at(path, "windows"), "range",
                            "windows must be a whole number from 2 to 10000, got " + d);
                    } else if (d != null) {
                        windows = d.intValue();
                    }
                }
                Double max = fraction(m, "max", path, null);
                yield new Expectation.NullRate(k, windows, max, sev);
            }
            case "drift" -> {
                Expectation.Method method = Expectation.Method.PSI;
                if (m.containsKey("method")) {
                    String s = n.scalar(m.get("method"), Nodes.at(path, "method"));
                    method = Expectation.Method.parse(s);
                    if (s != null && method == null) {
                        n.problem(m.get("method"), Nodes.at(path, "method"), "expect.method", "unknown drift method '" + s
                            + "' (expected psi or ks)");
                    }
                }
                String ref = null;
                if (!m.containsKey("reference")) {
                    n.problem(node, Nodes.at(path, "reference"), "required", "drift needs a reference (its name, stored with "
                        + "POST /v1/quality/references)");
                } else {
                    ref = n.scalar(m.get("reference"), Nodes.at(path, "reference"));
                    if (ref != null && !DefinitionsParser.NAME.matcher(ref).matches()) {
                        n.problem(m.get("reference"), Nodes.at(path, "reference"), "name.pattern", "reference name '" + ref
                            + "' must match " + DefinitionsParser.NAME.pattern());
                    }
                }
                Double warn = nonNegative(m, "warn", path);
                Double fail = nonNegative(m, "fail", path);
                if (!m.containsKey("warn") && !m.containsKey("fail")) {
                    n.problem(node, path, "expect.threshold", "drift needs warn or fail (a PSI or KS value)");
                }
                if (warn != null && fail != null && warn > fail) {
                    n.problem(m.get("warn"), Nodes.at(path, "warn"), "expect.range", "warn " + warn + " is above fail " + fail);
                }
                yield new Expectation.Drift(method == null ? Expectation.Method.PSI : method, ref, warn, fail, sev);
            }
            default -> { // freshness
                long lag = 0;
                if (!m.containsKey("max_lag")) {
                    n.problem(node, Nodes.at(path, "max_lag"), "required", "freshness needs max_lag (a duration, e.g. 10m)");
                } else {
                    lag = n.duration(m.get("max_lag"), Nodes.at(path, "max_lag"));
                }
                yield new Expectation.Freshness(Math.max(lag, 1), sev);
            }
        };
        return n.problems.size() == before ? e : null;
    }

    private Severity severity(Map<String, Node> m, String path) {
        if (!m.containsKey("severity")) {
            return Severity.WARN;
        }
        String s = n.scalar(m.get("severity"), Nodes.at(path, "severity"));
        Severity sev = Severity.parse(s);
        if (s != null && sev == null) {
            n.problem(m.get("severity"), Nodes.at(path, "severity"), "expect.severity", "severity must be warn or block, got '"
                + s + "'");
        }
        return sev == null ? Severity.WARN : sev;
    }

    /** A share in (0, 1]; {@code fallback} when absent. */
    private Double fraction(Map<String, Node> m, String key, String path, Double fallback) {
        if (!m.containsKey(key)) {
            return fallback;
        }
        Double d = n.number(m.get(key), Nodes.at(path, key));
        if (d != null && (d < 0 || d > 1 || (key.equals("mostly") && d == 0))) {
            n.problem(m.get(key), Nodes.at(path, key), "range", key + " must be a share " + (key.equals("mostly")
                ? "greater than 0 and at most 1" : "from 0 to 1") + ", got " + d);
            return fallback;
        }
        return d == null ? fallback : d;
    }

    private Double nonNegative(Map<String, Node> m, String key, String path) {
        if (!m.containsKey(key)) {
            return null;
        }
        Double d = n.number(m.get(key), Nodes.at(path, key));
        if (d != null && d < 0) {
            n.problem(m.get(key), Nodes.at(path, key), "range", key + " must be >= 0, got " + d);
            return null;
        }
        return d;
    }

    /** {min, max}, each null when absent; one of them is required. */
    private Double[] bounds(Map<String, Node> m, String path, Node node, boolean oneRequired) {
        Double min = m.containsKey("min") ? n.number(m.get("min"), Nodes.at(path, "min")) : null;
        Double max = m.containsKey("max") ? n.number(m.get("max"), Nodes.at(path, "max")) : null;
        if (oneRequired && !m.containsKey("min") && !m.containsKey("max")) {
            n.problem(node, path, "expect.bounds", "give min, max or both");
        }
        if (min != null && max != null && min > max) {
            n.problem(node, path, "expect.range", "min " + min + " is greater than max " + max);
        }
        return new Double[] {min, max};
    }

    // ---------------------------------------------------------------- checks with the schema known

    /**
     * Checks expectations against the types of what they judge: {@code types} maps each name (column or feature) to
     * its type, null when unknown ({@code what} names it in messages: "column", "feature").
     */
    static void check(Nodes n, Nodes.Loc at, String name, ColumnType type, List<Expectation> list, String what) {
        for (Expectation e : list) {
            boolean numeric = type.isNumeric();
            boolean needsNumber = e instanceof Expectation.Between || e instanceof Expectation.MeanBetween
                || e instanceof Expectation.StddevBetween || e instanceof Expectation.Drift;
            if (needsNumber && !numeric) {
                n.report(at, null, "expect.numeric", e.expect() + " needs a numeric " + what + ", '" + name + "' is "
                    + type.spelling());
            } else if (e instanceof Expectation.Freshness && type != ColumnType.TIMESTAMP) {
                n.report(at, null, "expect.timestamp", "freshness needs a timestamp " + what + ", '" + name + "' is "
                    + type.spelling());
            } else if (e instanceof Expectation.InSet s && numeric) {
                for (String v : s.values()) {
                    try {
                        Double.parseDouble(v.trim());
                    } catch (NumberFormatException x) {
                        n.report(at, null, "expect.values_type", "in_set of the numeric " + what + " '" + name
                            + "' lists '" + v + "', not a number");
                    }
                }
            }
        }
    }

    /** A scalar's text, for messages. */
    static String text(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : "";
    }
}
