package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.DefinitionException;
import io.hearth.catalog.DefinitionProblem;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.lineage.BreakingInUseException;
import io.hearth.catalog.lineage.BreakingSchemaException;
import io.hearth.catalog.lineage.InUse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth apply}: register definitions as the registry's next version. */
@Command(name = "apply", description = "Check definitions (a YAML file or a directory of them) and store them as the "
    + "registry's next version. Applying what is already there changes nothing. Safe schema changes (a nullable "
    + "column added, a type widened, a contract loosened) apply while events stream in. A change that breaks a "
    + "source's schema or contract (a column dropped or renamed, a type narrowed, a contract tightened), and a "
    + "breaking change that reaches a feature service a registered model uses, are refused unless --force.")
final class ApplyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|DIR", description = "Definitions YAML file, or a directory of them.")
    Path path;

    @Option(names = "--force", description = "Apply even a change that breaks a source's schema or contract, or a "
        + "breaking change that reaches a model in use (see hearth plan for what each does to stored events).")
    boolean force;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        return run(path, client.client(), false, force);
    }

    /** Shared by apply and plan: parse locally (errors name the real files), then send the canonical form. */
    static int run(Path path, GatewayClient http, boolean planOnly, boolean force) throws Exception {
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
                JsonNode r = http.send("PUT", force ? "/v1/registry?force=true" : "/v1/registry", "application/json", body);
                System.out.print(r.get("plan").get("text").asText());
                System.out.println(r.get("changed").asBoolean() ? "Applied: registry version " + r.get("version").asLong()
                    : "Registry unchanged at version " + r.get("version").asLong());
            }
            return 0;
        } catch (GatewayClient.CallFailed e) {
            System.err.println(refusal(e).orElse(e.getMessage()));
            return 1;
        }
    }

    /** A refusal of breaking changes in use as one line naming the fix, when that is what the gateway answered. */
    private static java.util.Optional<String> refusal(GatewayClient.CallFailed e) {
        if (e.status == 409 && e.problem != null && BreakingSchemaException.RULE.equals(e.problem.path("rule").asText())) {
            List<BreakingSchemaException.Breaking> breaking = new ArrayList<>();
            for (JsonNode b : e.problem.path("breaking")) {
                breaking.add(new BreakingSchemaException.Breaking(b.path("kind").asText(), b.path("name").asText(),
                    b.path("reason").asText()));
            }
            return java.util.Optional.of("hearth apply: refused: " + BreakingSchemaException.describe(breaking)
                + " (see ./hearth plan; --force applies it anyway)");
        }
        if (e.status != 409 || e.problem == null || !BreakingInUseException.RULE.equals(e.problem.path("rule").asText())) {
            return java.util.Optional.empty();
        }
        List<InUse> inUse = new ArrayList<>();
        for (JsonNode u : e.problem.path("in_use")) {
            inUse.add(new InUse(u.path("model").asText(), u.path("service").asText(), u.path("kind").asText(),
                u.path("name").asText(), u.path("reason").asText()));
        }
        return java.util.Optional.of("hearth apply: refused: " + BreakingInUseException.describe(inUse)
            + " (see ./hearth plan; --force applies it anyway)");
    }
}
