package io.hearth.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How one source's columns change between two definitions, each change classified as safe or breaking for the
 * events already stored and the records still arriving. Safe: a nullable column added (events stored before read
 * null for it), a type widened (int to long or double, long to double, float to double: stored values read in the
 * wider type, as every read converts each block to the type the schema declares now), a contract loosened (a min
 * lowered or dropped, a max raised or dropped, an allowed value added or the list dropped, a column no longer
 * required). Breaking: a column dropped (a rename is a drop and an add), a type narrowed or changed in kind, a join
 * key's text changed, a contract tightened so that stored history could fail it, a column added as required.
 * Pure: it reads two sources and the join keys of their entities.
 *
 * @param safe   the safe changes, as people read them, each naming the column and the rule
 * @param breaks the breaking ones, each reaching its column and needing force to apply
 */
record SchemaEvolution(List<String> safe, List<Plan.Break> breaks) {
    private static final ColumnContract NONE = new ColumnContract(false, null, null, null);

    SchemaEvolution {
        safe = List.copyOf(safe);
        breaks = List.copyOf(breaks);
    }

    /**
     * The column changes from {@code a} to {@code b}; {@code keysBefore} and {@code keysAfter} are the join keys of
     * their entities (whose columns are stored as the entity key's text, not as values).
     */
    static SchemaEvolution of(Source a, Source b, List<String> keysBefore, List<String> keysAfter) {
        List<String> safe = new ArrayList<>();
        List<Plan.Break> breaks = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        a.schema().forEach((col, type) -> {
            if (!b.schema().containsKey(col)) {
                removed.add(col);
            }
        });
        b.schema().forEach((col, type) -> {
            if (!a.schema().containsKey(col)) {
                added.add(col);
            }
        });
        for (String col : removed) {
            String to = removed.size() == 1 && added.size() == 1 && a.type(col) == b.type(added.get(0))
                ? added.get(0) : null;
            breaks.add(Plan.Break.schema(col, "column " + col + " removed" + (to == null ? ""
                : " (a rename to " + to + " is a drop and an add: " + to + " reads null for stored events)")
                + ": its stored values become unreadable, and records still sending " + col
                + " are quarantined (schema.unknown_field)"));
        }
        a.schema().forEach((col, from) -> {
            ColumnType to = b.schema().get(col);
            if (to != null && to != from) {
                typeChange(col, from, to, keysBefore.contains(col) || keysAfter.contains(col), safe, breaks);
            }
        });
        for (String col : added) {
            ColumnContract rule = b.contract().getOrDefault(col, NONE);
            if (rule.required()) {
                breaks.add(Plan.Break.schema(col, "column " + col + " added with contract.required: events stored before "
                    + "have no " + col + " and would fail it, and records that do not send it yet are quarantined "
                    + "(contract.required)"));
            } else {
                safe.add("column " + col + " added (nullable, " + b.type(col).spelling() + "): events stored before "
                    + "read null for it");
            }
        }
        for (String col : b.schema().keySet()) {
            if (a.schema().containsKey(col)) {
                contractChange(col, a.contract().getOrDefault(col, NONE), b.contract().getOrDefault(col, NONE), safe,
                    breaks);
            }
        }
        return new SchemaEvolution(safe, breaks);
    }

    /** Whether every value of {@code from} reads in {@code to} as the same number: int to long to double. */
    static boolean widens(ColumnType from, ColumnType to) {
        return switch (from) {
            case INT -> to == ColumnType.LONG || to == ColumnType.DOUBLE;
            case LONG, FLOAT -> to == ColumnType.DOUBLE;
            default -> false;
        };
    }

    private static void typeChange(String col, ColumnType from, ColumnType to, boolean joinKey, List<String> safe,
                                   List<Plan.Break> breaks) {
        String change = from.spelling() + " -> " + to.spelling();
        if (joinKey && !(from == ColumnType.INT && to == ColumnType.LONG)) {
            // Only int -> long keeps the text an entity key is made of (5 stays "5"; as a double it would be "5.0").
            breaks.add(Plan.Break.schema(col, "column " + col + " type " + change + " changes a join key: stored events "
                + "are keyed by its text, which the new type writes differently"));
        } else if (widens(from, to)) {
            safe.add("column " + col + " widened " + change + ": events stored before read as " + to.spelling()
                + (from == ColumnType.LONG ? " (exactly up to 2^53; larger values read as the nearest double)" : ""));
        } else if (from.isNumeric() && to.isNumeric()) {
            breaks.add(Plan.Break.schema(col, "column " + col + " narrowed " + change + ": stored values "
                + to.spelling() + " cannot hold read changed" + (to.isIntegral() ? " (1.5 reads 1)" : "")));
        } else {
            breaks.add(Plan.Break.schema(col, "column " + col + " type " + change + " is no widening: stored values read "
                + "converted" + (to.isNumeric() || to == ColumnType.BOOL ? " (text that spells no number reads null)" : "")
                + ", and features over " + col + " change meaning"));
        }
    }

    private static void contractChange(String col, ColumnContract was, ColumnContract now, List<String> safe,
                                       List<Plan.Break> breaks) {
        String c = "column " + col + ": ";
        if (!was.required() && now.required()) {
            breaks.add(Plan.Break.schema(col, c + "contract.required added tightens it: stored events where " + col
                + " is null would fail it, and records without " + col + " are quarantined from now on"));
        } else if (was.required() && !now.required()) {
            safe.add(c + "contract.required dropped: loosened, every stored event still passes");
        }
        bound(col, "min", "below", was.min(), now.min(), -1, safe, breaks);
        bound(col, "max", "above", was.max(), now.max(), 1, safe, breaks);
        if (!Objects.equals(was.allowed(), now.allowed())) {
            if (now.allowed() == null) {
                safe.add(c + "contract.allowed dropped: loosened, every value passes");
            } else if (was.allowed() == null) {
                breaks.add(Plan.Break.schema(col, c + "contract.allowed " + now.allowed() + " added tightens it: stored "
                    + "events with " + col + " not in " + now.allowed() + " would fail it"));
            } else {
                Set<String> dropped = new LinkedHashSet<>(was.allowed());
                dropped.removeAll(now.allowed());
                Set<String> addedValues = new LinkedHashSet<>(now.allowed());
                addedValues.removeAll(was.allowed());
                if (!dropped.isEmpty()) {
                    breaks.add(Plan.Break.schema(col, c + "contract.allowed drops " + dropped + ", which tightens it: "
                        + "stored events with " + col + " in " + dropped + " would fail it"));
                }
                if (!addedValues.isEmpty()) {
                    safe.add(c + "contract.allowed adds " + addedValues + ": loosened");
                }
            }
        }
    }

    /**
     * A min ({@code sign} -1) or max ({@code sign} 1) bound that changed: moving it outward or dropping it loosens,
     * adding it or moving it inward tightens.
     */
    private static void bound(String col, String name, String side, Double was, Double now, int sign, List<String> safe,
                              List<Plan.Break> breaks) {
        if (Objects.equals(was, now)) {
            return;
        }
        String c = "column " + col + ": contract." + name + " ";
        if (now == null) {
            safe.add(c + number(was) + " dropped: loosened");
        } else if (was == null) {
            breaks.add(Plan.Break.schema(col, c + number(now) + " added tightens it: stored events with " + col + " "
                + side + " " + number(now) + " would fail it"));
        } else if (Double.compare(now, was) * sign > 0) {
            safe.add(c + number(was) + " -> " + number(now) + ": loosened");
        } else {
            breaks.add(Plan.Break.schema(col, c + number(was) + " -> " + number(now) + " tightens it: stored events with "
                + col + " " + side + " " + number(now) + " would fail it"));
        }
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
