package io.hearth.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled classes of every module (this module's test class
 * path holds them all): dependencies point one way, catalog ← compute ← formats/node ← ingest/security ← gateway
 * and connectors ← cli, and catalog ← search ← gateway; the semantics know nothing of Ignite or HTTP; nothing below
 * the gateway knows Vert.x; only the connectors, the development broker and the CLI know Kafka; the feedback loop
 * (beside ingest, below the gateway and the connectors) knows no transport; only the search module (and Ignite's own
 * SQL text index) knows Lucene; the web console knows nothing of Hearth's but what a browser sees, and only the
 * gateway mounts it. A forbidden import fails this test naming the class,
 * the import and the rule.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importHearth() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hearth");
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    private static ArchRule only(String layer, String because, String... forbidden) {
        return noClasses().that().resideInAPackage(layer).should().dependOnClassesThat().resideInAnyPackage(forbidden)
            .because(because);
    }

    @Test
    void theCatalogDependsOnNothingOfHearthsAndNoGridOrHttp() {
        check(only("io.hearth.catalog..", "definitions are plain data, testable without a grid",
            "io.hearth.compute..", "io.hearth.formats..", "io.hearth.node..", "io.hearth.ingest..", "io.hearth.gateway..",
            "io.hearth.connectors..", "io.hearth.security..", "io.hearth.feedback..", "io.hearth.cli..",
            "io.hearth.search..", "org.apache.ignite..", "io.vertx..", "org.apache.kafka..", "org.apache.lucene.."));
    }

    @Test
    void theSearchIndexSeesOnlyTheCatalogAndLucene() {
        check(only("io.hearth.search..", "the catalog's index is plain Java and Lucene, testable and benchmarked without a "
            + "grid", "io.hearth.compute..", "io.hearth.formats..", "io.hearth.node..", "io.hearth.ingest..",
            "io.hearth.gateway..", "io.hearth.connectors..", "io.hearth.security..", "io.hearth.feedback..",
            "io.hearth.cli..", "org.apache.ignite..", "io.vertx..", "org.apache.kafka.."));
    }

    @Test
    void onlyTheSearchModuleUsesLucene() {
        check(noClasses().that().resideInAPackage("io.hearth..").and().resideOutsideOfPackage("io.hearth.search..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.lucene..")
            .because("one room holds the catalog index, on the Lucene Ignite loads"));
    }

    @Test
    void computeSeesOnlyTheCatalog() {
        check(only("io.hearth.compute..", "compute is below every module but the catalog",
            "io.hearth.search..", "io.hearth.formats..", "io.hearth.node..", "io.hearth.ingest..", "io.hearth.gateway..",
            "io.hearth.connectors..", "io.hearth.security..", "io.hearth.feedback..", "io.hearth.cli..", "io.vertx..",
            "org.apache.kafka.."));
    }

    @Test
    void theSemanticsArePlainFunctionsOverPlainData() {
        check(only("io.hearth.compute.semantics..", "the same functions run in a stream receiver, a compute job, a test "
            + "and a benchmark", "org.apache.ignite..", "io.vertx..", "org.apache.kafka.."));
    }

    @Test
    void theEventDataTheSemanticsReadIsNotTiedToIgnite() {
        check(noClasses().that().resideInAPackage("io.hearth.compute.events..")
            .and().haveSimpleNameNotStartingWith("EventMergeReceiver")
            .and().haveSimpleNameNotStartingWith("EventReads")
            .and().haveSimpleNameNotStartingWith("EventCompaction")
            // The log's grid-side work: the receiver, maintenance, reads, the partition mapping, the caches' holder.
            .and().haveSimpleNameNotStartingWith("LogReceiver")
            .and().haveSimpleNameNotStartingWith("LogMaintenance")
            .and().haveSimpleNameNotStartingWith("LogReads")
            .and().haveSimpleNameNotStartingWith("LogPartitions")
            .and().haveSimpleNameNotStartingWith("SourceCaches")
            // A member's held manifests and kept indexes, with their nested processors and reads.
            .and().haveNameNotMatching(".*\\.(ManifestView|IndexMemo)(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.ignite..")
            .because("blocks, indexes, log chunks and manifests are plain data; their Ignite binary form lives in "
                + "node/, and only the grid-side operations on them touch Ignite"));
    }

    @Test
    void formatsKnowNoGridAndNoHttp() {
        check(only("io.hearth.formats..", "files and bodies are read the same way by every transport",
            "io.hearth.node..", "io.hearth.ingest..", "io.hearth.gateway..", "io.hearth.connectors..", "io.hearth.cli..",
            "io.hearth.feedback..", "org.apache.ignite..", "io.vertx..", "org.apache.kafka.."));
    }

    @Test
    void theNodeKnowsNoTransport() {
        check(only("io.hearth.node..", "the node is storage and compute, whatever carries requests to it",
            "io.hearth.search..", "io.hearth.formats..", "io.hearth.ingest..", "io.hearth.gateway..",
            "io.hearth.connectors..", "io.hearth.cli..", "io.hearth.security..", "io.hearth.feedback..", "io.vertx..",
            "org.apache.kafka.."));
    }

    @Test
    void theIngestPipelineIsBelowEveryTransport() {
        check(only("io.hearth.ingest..", "HTTP, Kafka and files share one pipeline that knows none of them",
            "io.hearth.gateway..", "io.hearth.connectors..", "io.hearth.security..", "io.hearth.feedback..",
            "io.hearth.cli..", "io.vertx..", "org.apache.kafka.."));
    }

    @Test
    void theFeedbackLoopIsBelowEveryTransport() {
        check(only("io.hearth.feedback..", "lookups over HTTP and outcomes over HTTP or Kafka share one feedback loop that "
            + "knows none of them", "io.hearth.ingest..", "io.hearth.gateway..", "io.hearth.connectors..", "io.hearth.cli..",
            "io.hearth.devkafka..", "io.vertx..", "org.apache.kafka.."));
    }

    @Test
    void qualityIsBelowTheIngestPipelineAndEveryTransport() {
        check(only("io.hearth.quality..", "every ingest path and training sets are judged by one quality module that "
            + "knows none of them", "io.hearth.ingest..", "io.hearth.gateway..", "io.hearth.connectors..",
            "io.hearth.security..", "io.hearth.feedback..", "io.hearth.cli..", "io.hearth.devkafka..", "io.vertx..",
            "org.apache.kafka.."));
    }

    @Test
    void securityDecidesWithoutKnowingHttpOrTheTransports() {
        check(only("io.hearth.security..", "who may do what is decided the same way for every transport; the gateway asks",
            "io.hearth.formats..", "io.hearth.ingest..", "io.hearth.gateway..", "io.hearth.connectors..", "io.hearth.cli..",
            "io.vertx..", "org.apache.kafka.."));
    }

    @Test
    void keysRulesAndLimitsArePlainLogicWithoutTheGrid() {
        check(noClasses().that().resideInAnyPackage("io.hearth.security.keys..", "io.hearth.security.access..",
            "io.hearth.security.limits..").should().dependOnClassesThat().resideInAnyPackage("org.apache.ignite..",
            "io.hearth.node..").because("they are tested, and benchmarked, without a node"));
    }

    @Test
    void theGatewayIsHttpOnly() {
        check(only("io.hearth.gateway..", "connectors and the CLI compose with the gateway, not the other way",
            "io.hearth.connectors..", "io.hearth.cli..", "io.hearth.devkafka..", "org.apache.kafka.."));
    }

    @Test
    void connectorsKnowNoHttp() {
        check(only("io.hearth.connectors..", "a connector feeds the ingest pipeline directly",
            "io.hearth.gateway..", "io.hearth.cli..", "io.hearth.devkafka..", "io.vertx.."));
    }

    @Test
    void theDevelopmentBrokerStandsAlone() {
        check(only("io.hearth.devkafka..", "it only runs Kafka's server for development",
            "io.hearth.catalog..", "io.hearth.compute..", "io.hearth.formats..", "io.hearth.node..", "io.hearth.ingest..",
            "io.hearth.gateway..", "io.hearth.connectors..", "io.hearth.security..", "io.hearth.feedback..", "io.hearth.cli.."));
    }

    @Test
    void theConsoleKnowsNothingOfHearthsButItsHttpApi() {
        check(only("io.hearth.console..", "the console reads everything through the public HTTP API, as a browser does",
            "io.hearth.catalog..", "io.hearth.search..", "io.hearth.compute..", "io.hearth.formats..", "io.hearth.node..",
            "io.hearth.ingest..", "io.hearth.gateway..", "io.hearth.connectors..", "io.hearth.cli..", "io.hearth.devkafka..",
            "org.apache.ignite..", "org.apache.kafka..", "org.apache.lucene.."));
    }

    @Test
    void onlyTheGatewayMountsTheConsole() {
        check(noClasses().that().resideInAPackage("io.hearth..")
            .and().resideOutsideOfPackages("io.hearth.console..", "io.hearth.gateway..")
            .should().dependOnClassesThat().resideInAPackage("io.hearth.console..")
            .because("every gateway serves the console; nothing below or beside it knows there is one"));
    }
}
