package io.hearth.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** Definitions that cannot be applied; carries every problem found, not just the first. */
public final class DefinitionException extends HearthException {
    private final List<DefinitionProblem> problems;

    public DefinitionException(List<DefinitionProblem> problems) {
        super(ErrorCode.DEFINITIONS, problems.isEmpty() ? null : problems.get(0).path(), problems.isEmpty() ? null : problems.get(0).rule(),
            problems.size() + " problem(s) in definitions:\n  "
            + problems.stream().map(DefinitionProblem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<DefinitionProblem> problems() {
        return problems;
    }
}
