package io.hearth.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What applying new definitions would change, object by object, with the changes that alter existing
 * data or served values flagged as breaking. Computed from the canonical trees, so it sees exactly what
 * the registry would store.
 *
 * <p>Changes to a source's columns are classified one by one ({@link SchemaEvolution}): a safe one (a nullable
 * column added, a type widened, a contract loosened) is listed in {@link Change#safe()}; a breaking one (a column
 * dropped or renamed, a type narrowed, a contract tightened) is a {@link Break} with {@link Break#needsForce()}, which
 * applying refuses unless forced, whether or not anything uses the column.
 */
public record Plan(List<Change> changes) {

    public enum Action { ADD, CHANGE, REMOVE }

    /**
     * One object added, changed or removed; {@code details} are human lines, {@code breaks} what in it breaks
     * stored data or served values, {@code safe} the changes in it known to keep stored events and served values
     * readable and correct (a source's schema evolutions), as people read them.
     */
    public record Change(String kind, String name, Action action, List<String> details, List<Break> breaks,
                         List<String> safe) {
        public Change {
            details = List.copyOf(details);
            breaks = List.copyOf(breaks);
            safe = List.copyOf(safe);
        }

        /** A change without safe marks. */
        public Change(String kind, String name, Action action, List<String> details, List<Break> breaks) {
            this(kind, name, action, details, breaks, List.of());
        }

        public boolean isBreaking() {
            return !breaks.isEmpty();
        }

        /** A change with no breaking part and at least one part marked safe (a schema evolution). */
        public boolean isSafe() {
            return breaks.isEmpty() && !safe.isEmpty();
        }

        /** Whether applying it needs force whoever uses what it changes (it breaks a source's schema or contract). */
        public boolean needsForce() {
            return breaks.stream().anyMatch(Break::needsForce);
        }

        /** The breaking reasons, as people read them. */
        public List<String> breaking() {
            return breaks.stream().map(Break::reason).toList();
        }
    }

    /**
     * One breaking reason and the parts of the changed object it reaches: columns of a source or features of a view
     * whose values it changes; empty when it reaches the whole object (every feature computed from it).
     * {@code needsForce}: it breaks a source's schema or contract, which applying refuses unless forced even when no
     * model uses it; other breaks are refused only when they reach a model in use.
     */
    public record Break(String reason, List<String> parts, boolean needsForce) {
        public Break {
            parts = List.copyOf(parts);
        }

        /** A break refused only when it reaches a model in use. */
        public Break(String reason, List<String> parts) {
            this(reason, parts, false);
        }

        static Break whole(String reason) {
            return new Break(reason, List.of());
        }

        /** A break of a source's schema or contract at {@code column}. */
        static Break schema(String column, String reason) {
            return new Break(reason, List.of(column), true);
        }
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public long count(Action a) {
        return changes.stream().filter(c -> c.action() == a).count();
    }

    public long breakingCount() {
        return changes.stream().filter(Change::isBreaking).count();
    }

    /** The breaks applying refuses unless forced, as "source orders: column x removed: ..." lines. */
    public List<String> needingForce() {
        List<String> out = new ArrayList<>();
        for (Change c : changes) {
            for (Break b : c.breaks()) {
                if (b.needsForce()) {
                    out.add(c.kind() + " " + c.name() + ": " + b.reason());
                }
            }
        }
        return out;
    }

    public static Plan between(Definitions current, Definitions next) {
        List<Change> out = new ArrayList<>();
        if (current.project() != null && !Objects.equals(current.project(), next.project())) {
            out.add(new Change("project", String.valueOf(next.project()), Action.CHANGE,
                List.of("project: " + current.project() + " -> " + next.project()), List.of()));
        }
        diff(out, "entity", current.entities(), next.entities(), Entity::name, CanonicalForm::entity, Plan::entityBreaks,
            true);
        diff(out, "source", current.sources(), next.sources(), Source::name, CanonicalForm::source,
            (a, b) -> sourceBreaks(a, b, joinKeys(current, a), joinKeys(next, b)), true,
            (a, b) -> SchemaEvolution.of(a, b, joinKeys(current, a), joinKeys(next, b)).safe());
        diff(out, "feature_view", current.featureViews(), next.featureViews(), FeatureView::name, CanonicalForm::view,
            Plan::viewBreaks, true);
        diff(out, "feature_service", current.featureServices(), next.featureServices(), FeatureService::name,
            CanonicalForm::service, (a, b) -> {
                List<Break> r = new ArrayList<>();
                for (FeatureRef f : a.features()) {
                    if (!b.features().contains(f)) {
                        r.add(Break.whole("feature " + f.qualified() + " removed from a service models may consume"));
                    }
                }
                return r;
            }, true);
        // A model is a consumer: registering, changing or dropping one changes no value.
        diff(out, "model", current.models(), next.models(), Model::name, CanonicalForm::model, (a, b) -> List.of(), false);
        return new Plan(out);
    }

    private interface Breaks<T> {
        List<Break> of(T before, T after);
    }

    private interface Safe<T> {
        List<String> of(T before, T after);
    }

    private static List<String> joinKeys(Definitions d, Source s) {
        return d.entity(s.entity()).map(Entity::joinKeys).orElse(List.of());
    }

    private static <T> void diff(List<Change> out, String kind, List<T> before, List<T> after, Function<T, String> name,
                                 Function<T, Map<String, Object>> tree, Breaks<T> breaks, boolean removalBreaks) {
        diff(out, kind, before, after, name, tree, breaks, removalBreaks, (a, b) -> List.of());
    }

    private static <T> void diff(List<Change> out, String kind, List<T> before, List<T> after, Function<T, String> name,
                                 Function<T, Map<String, Object>> tree, Breaks<T> breaks, boolean removalBreaks,
                                 Safe<T> safe) {
        Map<String, T> a = index(before, name);
        Map<String, T> b = index(after, name);
        for (Map.Entry<String, T> e : b.entrySet()) {
            T old = a.get(e.getKey());
            if (old == null) {
                out.add(new Change(kind, e.getKey(), Action.ADD, List.of(), List.of()));
            } else {
                Map<String, Object> ta = tree.apply(old);
                Map<String, Object> tb = tree.apply(e.getValue());
                if (!ta.equals(tb)) {
                    List<String> details = new ArrayList<>();
                    fieldDiff("", ta, tb, details);
                    out.add(new Change(kind, e.getKey(), Action.CHANGE, details, breaks.of(old, e.getValue()),
                        safe.of(old, e.getValue())));
                }
            }
        }
        for (String n : a.keySet()) {
            if (!b.containsKey(n)) {
                out.add(new Change(kind, n, Action.REMOVE, List.of(), removalBreaks
                    ? List.of(Break.whole(kind.replace('_', ' ') + " removed: readers of it will fail")) : List.of()));
            }
        }
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> name) {
        Map<String, T> m = new LinkedHashMap<>();
        items.forEach(i -> m.put(name.apply(i), i));
        return m;
    }

    /**
     * The differences between two canonical trees of one object, as a plan's details write them: {@code + path: value}
     * for what was added, {@code - path: value} for what was removed, {@code ~ path: old -> new} for what changed; lists
     * of named items (features, models) are compared item by item by name. Empty when they are equal.
     */
    public static List<String> changes(Map<String, Object> before, Map<String, Object> after) {
        List<String> out = new ArrayList<>();
        if (!before.equals(after)) {
            fieldDiff("", before, after, out);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void fieldDiff(String prefix, Object a, Object b, List<String> out) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new LinkedHashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                String p = prefix.isEmpty() ? k.toString() : prefix + "." + k;
                Object va = ma.get(k);
                Object vb = mb.get(k);
                if (va == null) {
                    out.add("+ " + p + ": " + vb);
                } else if (vb == null) {
                    out.add("- " + p + ": " + va);
                } else if (!va.equals(vb)) {
                    fieldDiff(p, va, vb, out);
                }
            }
        } else if (a instanceof List<?> la && b instanceof List<?> lb && isNamedList(la) && isNamedList(lb)) {
            Map<String, Object> na = new LinkedHashMap<>();
            Map<String, Object> nb = new LinkedHashMap<>();
            la.forEach(x -> na.put(String.valueOf(((Map<String, Object>) x).get("name")), x));
            lb.forEach(x -> nb.put(String.valueOf(((Map<String, Object>) x).get("name")), x));
            fieldDiff(prefix, na, nb, out);
        } else {
            out.add("~ " + prefix + ": " + a + " -> " + b);
        }
    }

    private static boolean isNamedList(List<?> l) {
        return !l.isEmpty() && l.stream().allMatch(x -> x instanceof Map<?, ?> m && m.get("name") != null);
    }

    private static List<Break> entityBreaks(Entity a, Entity b) {
        return a.joinKeys().equals(b.joinKeys()) ? List.of() : List.of(Break.whole(
            "join keys " + a.joinKeys() + " -> " + b.joinKeys() + ": stored events are keyed by the old keys"));
    }

    private static List<Break> sourceBreaks(Source a, Source b, List<String> keysBefore, List<String> keysAfter) {
        List<Break> r = new ArrayList<>(SchemaEvolution.of(a, b, keysBefore, keysAfter).breaks());
        if (!a.entity().equals(b.entity())) {
            r.add(Break.whole("entity " + a.entity() + " -> " + b.entity()));
        }
        if (!a.timestampField().equals(b.timestampField())) {
            r.add(Break.whole("timestamp_field " + a.timestampField() + " -> " + b.timestampField()));
        }
        if (!Objects.equals(a.idField(), b.idField())) {
            r.add(Break.whole("id_field " + a.idField() + " -> " + b.idField() + ": idempotency of replays changes"));
        }
        long ra = a.retentionMillis() == 0 ? Long.MAX_VALUE : a.retentionMillis();
        long rb = b.retentionMillis() == 0 ? Long.MAX_VALUE : b.retentionMillis();
        if (rb < ra) {
            r.add(Break.whole("retention " + (a.retentionMillis() == 0 ? "(keep all)" : Durations.format(a.retentionMillis()))
                + " -> " + Durations.format(b.retentionMillis()) + ": older events will be compacted away for good, and "
                + "as_of reads and training rows before the new retention lose them"));
        }
        return r;
    }

    private static List<Break> viewBreaks(FeatureView a, FeatureView b) {
        List<Break> r = new ArrayList<>();
        if (!a.source().equals(b.source()) || !a.entity().equals(b.entity())) {
            r.add(Break.whole("source/entity changed: every value changes"));
        }
        // ttl bounds plain features only, hop windowed ones only; a view without such features is reached whole
        if (a.ttlMillis() != b.ttlMillis()) {
            r.add(new Break("ttl changed: served and training values change",
                names(a.features().stream().filter(f -> !f.isWindowed()).toList())));
        }
        if (a.hopMillis() != b.hopMillis()) {
            r.add(new Break("hop changed: windowed values change",
                names(a.features().stream().filter(Feature::isWindowed).toList())));
        }
        for (Feature f : a.features()) {
            var nf = b.feature(f.name());
            if (nf.isEmpty()) {
                r.add(new Break("feature " + f.name() + " removed", List.of(f.name())));
            } else if (!Objects.equals(f.column(), nf.get().column()) || f.aggregation() != nf.get().aggregation()
                || f.windowMillis() != nf.get().windowMillis()) {
                r.add(new Break("feature " + f.name() + " now computes something else", List.of(f.name())));
            }
        }
        return r;
    }

    private static List<String> names(List<Feature> features) {
        return features.stream().map(Feature::name).toList();
    }

    /** The plan as people read it in a terminal. */
    public String render() {
        return render(c -> List.of());
    }

    /** The plan with {@code notes} (lines such as what lies downstream) printed under each change. */
    public String render(Function<Change, List<String>> notes) {
        StringBuilder sb = new StringBuilder();
        if (changes.isEmpty()) {
            return "No changes: the registry already holds these definitions.\n";
        }
        for (Change c : changes) {
            char sign = switch (c.action()) {
                case ADD -> '+';
                case CHANGE -> '~';
                case REMOVE -> '-';
            };
            sb.append("  ").append(sign).append(' ').append(c.kind()).append(' ').append(c.name());
            if (c.isBreaking()) {
                sb.append(c.needsForce() ? "   [BREAKING: needs --force]" : "   [BREAKING]");
            } else if (c.isSafe()) {
                sb.append("   [safe]");
            }
            sb.append('\n');
            for (String d : c.details()) {
                sb.append("      ").append(d).append('\n');
            }
            for (String ok : c.safe()) {
                sb.append("      = safe: ").append(ok).append('\n');
            }
            for (String b : c.breaking()) {
                sb.append("      ! ").append(b).append('\n');
            }
            for (String note : notes.apply(c)) {
                sb.append("      ").append(note).append('\n');
            }
        }
        sb.append(String.format("Plan: %d to add, %d to change, %d to remove (%d breaking).\n",
            count(Action.ADD), count(Action.CHANGE), count(Action.REMOVE), breakingCount()));
        if (!needingForce().isEmpty()) {
            sb.append("Breaking changes to a source's schema or contract: applying refuses them unless forced "
                + "(--force, force=true).\n");
        }
        return sb.toString();
    }
}
