package io.hearth.gateway.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hearth extract}: point-in-time training sets; arrives with its own issue. */
@Command(name = "extract", description = "Build a point-in-time training set from a spine (not yet available: arrives "
    + "with the issue 'Point-in-time training extracts').")
final class ExtractCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        System.err.println("hearth extract is not available yet: it arrives with the issue "
            + "'Point-in-time training extracts'. Online lookups (POST /v1/features/online with \"as_of\") work now.");
        return 2;
    }
}
