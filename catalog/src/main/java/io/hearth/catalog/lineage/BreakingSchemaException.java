package io.hearth.catalog.lineage;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * Definitions refused because they break a source's schema or contract (a column dropped or renamed, a type
 * narrowed, a contract tightened) and the apply was not forced: events already stored would read differently or
 * fail the new contract, whether or not a model uses them. Lists each breaking change and, when there are any, the
 * models they reach. Applying with force does it anyway.
 */
public final class BreakingSchemaException extends HearthException {
    public static final String RULE = "plan.breaking_schema";

    /** One refused change: the object ({@code kind} {@code name}) and what it would do to stored events. */
    public record Breaking(String kind, String name, String reason) {
        /** "source orders: column coupon removed: ...". */
        public String line() {
            return kind + " " + name + ": " + reason;
        }
    }

    private final List<Breaking> breaking;
    private final List<InUse> inUse;

    public BreakingSchemaException(List<Breaking> breaking, List<InUse> inUse) {
        super(ErrorCode.CONFLICT, null, RULE, describe(breaking) + (inUse.isEmpty() ? ""
            : "; and " + BreakingInUseException.describe(inUse)) + " (apply with --force, or force=true, to do it anyway)");
        this.breaking = List.copyOf(breaking);
        this.inUse = List.copyOf(inUse);
    }

    /** The changes of {@code plan} that need force, in plan order. */
    public static List<Breaking> of(Plan plan) {
        List<Breaking> out = new ArrayList<>();
        for (Plan.Change c : plan.changes()) {
            for (Plan.Break b : c.breaks()) {
                if (b.needsForce()) {
                    out.add(new Breaking(c.kind(), c.name(), b.reason()));
                }
            }
        }
        return out;
    }

    public List<Breaking> breaking() {
        return breaking;
    }

    public List<InUse> inUse() {
        return inUse;
    }

    /** "breaking changes to a source's schema or contract: source orders: column coupon removed: ...; ...". */
    public static String describe(List<Breaking> breaking) {
        return "breaking changes to a source's schema or contract: "
            + String.join("; ", breaking.stream().map(Breaking::line).toList());
    }
}
