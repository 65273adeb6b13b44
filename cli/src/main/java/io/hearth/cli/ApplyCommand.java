package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.DefinitionException;
import io.hearth.catalog.DefinitionProblem;
import io.hearth.catalog.Definitions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth apply}: register definitions as the registry's next version. */
@Command(name = "apply", description = "Check definitions (a YAML file or a directory of them) and store them as the "
    + "registry's next version. Applying what is already there changes nothing.")
final class ApplyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|DIR", description = "Definitions YAML file, or a directory of them.")
    Path path;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        return run(path, client.client(), false);
    }

    /** Shared by apply and plan: parse locally (errors name the real files), then send the canonical form. */
    static int run(Path path, GatewayClient http, boolean planOnly) throws Exception {
        Definitions defs;
        try {
            defs = DefinitionFiles.read(path);
        } catch (DefinitionException e) {
            System.err.println(e.problems().size() + " problem(s) in " + path + ":");
            for (DefinitionProblem p : e.problems()) {
                System.err.println("  " + p);
            }
            return 1;
        } catch (java.io.IOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        byte[] body = CanonicalForm.toJson(defs).getBytes(StandardCharsets.UTF_8);
        try {
            if (planOnly) {
                JsonNode plan = http.send("POST", "/v1/registry/plan", "application/json", body);
                System.out.print(plan.get("text").asText());
            } else {
                JsonNode r = http.send("PUT", "/v1/registry", "application/json", body);
                System.out.print(r.get("plan").get("text").asText());
                System.out.println(r.get("changed").asBoolean() ? "Applied: registry version " + r.get("version").asLong()
                    : "Registry unchanged at version " + r.get("version").asLong());
            }
            return 0;
        } catch (GatewayClient.CallFailed e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
