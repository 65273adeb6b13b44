package io.hearth.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth plan}: what apply would change, breaking changes flagged, what lies downstream; stores nothing. */
@Command(name = "plan", description = "Show what applying definitions would change in the registry "
    + "(added/changed/removed, breaking changes flagged, what lies downstream of each: features, services, models, "
    + "training sets). Stores nothing.")
final class PlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|DIR", description = "Definitions YAML file, or a directory of them.")
    Path path;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        return ApplyCommand.run(path, client.client(), true, false);
    }
}
