package io.hearth.catalog.lineage;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Definitions refused because a breaking change reaches a feature service a registered model uses: the model would
 * be served values unlike those it was trained on. Applying with force does it anyway. The message is one line
 * naming the models, services and reasons.
 */
public final class BreakingInUseException extends HearthException {
    public static final String RULE = "plan.breaking_in_use";

    private final List<InUse> inUse;

    public BreakingInUseException(List<InUse> inUse) {
        super(ErrorCode.CONFLICT, null, RULE, describe(inUse) + " (apply with force=true to do it anyway)");
        this.inUse = List.copyOf(inUse);
    }

    public List<InUse> inUse() {
        return inUse;
    }

    /** "breaking changes reach models in use: churn_v1 uses churn_model_v1, reached by feature_view v: ttl changed". */
    public static String describe(List<InUse> inUse) {
        Map<String, List<String>> byModel = new LinkedHashMap<>();
        for (InUse u : inUse) {
            byModel.computeIfAbsent("model " + u.model() + " uses feature service " + u.service(),
                k -> new ArrayList<>()).add(u.change());
        }
        List<String> parts = new ArrayList<>();
        byModel.forEach((k, changes) -> parts.add(k + ", reached by " + String.join("; ", changes)));
        return "breaking changes reach models in use: " + String.join(" | ", parts);
    }
}
